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

    var files: ReportFiles {
        var files = ReportFiles()
        files.add(.html, html)
        files.add(.junit, junit)
        files.add(.markdown, markdown)
        files.add(.openmetrics, openmetrics)
        return files
    }
}
