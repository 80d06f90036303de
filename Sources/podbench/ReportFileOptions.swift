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

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's metrics and checks in the OpenMetrics text format, for node_exporter's textfile collector or a Pushgateway.", valueName: "file"))
    var openmetrics: String?

    @Option(name: .long, help: ArgumentHelp("Last, write FILE holding the JUnit file's path: the done file sonobuoy's worker waits for (docs/sonobuoy). Needs --junit; a run that cannot be carried out leaves a JUnit file saying why.", valueName: "file"))
    var doneFile: String?

    func validate() throws {
        if doneFile != nil && junit == nil {
            throw ValidationError("--done-file names the JUnit file in it: give --junit too.")
        }
    }

    var files: ReportFiles {
        var files = ReportFiles()
        files.add(.html, html)
        files.add(.junit, junit)
        files.add(.markdown, markdown)
        files.add(.openmetrics, openmetrics)
        return files
    }
}
