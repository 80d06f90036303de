import ArgumentParser
import PodbenchKit
import PodbenchReport

/// The report files `run` writes at its end.
struct ReportFileOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("At the end, write the run's HTML report.", valueName: "file"))
    var html: String?

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's JUnit XML.", valueName: "file"))
    var junit: String?

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's Markdown summary.", valueName: "file"))
    var markdown: String?

    var files: ReportFiles {
        var files = ReportFiles()
        files.add(.html, html)
        files.add(.junit, junit)
        files.add(.markdown, markdown)
        return files
    }
}
