import ArgumentParser
import Foundation
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

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's series in OpenMetrics with each sample's time, for promtool tsdb create-blocks-from openmetrics.", valueName: "file"))
    var openmetrics: String?

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's series in the Prometheus text format without timestamps, for node_exporter's textfile collector.", valueName: "file"))
    var prometheus: String?

    @Option(name: .long, help: ArgumentHelp("At the end, push each run of the matrix to this Prometheus Pushgateway (http://host:9091), to a group of its own: job, runtime, runtime_class, placement and host.", valueName: "url"))
    var pushgateway: String?

    @Option(name: .long, help: ArgumentHelp("Last, write FILE holding the JUnit file's path: the done file sonobuoy's worker waits for (docs/sonobuoy). Needs --junit; a run that cannot be carried out leaves a JUnit file saying why.", valueName: "file"))
    var doneFile: String?

    @Flag(name: .long, help: ArgumentHelp("Run as a sonobuoy plugin: write JUnit, HTML, JSON and a copy of the database into sonobuoy's results directory ($SONOBUOY_RESULTS_DIR, else /tmp/sonobuoy/results), then its done file naming that directory; post progress to $SONOBUOY_PROGRESS_PORT after each scenario (docs/sonobuoy)."))
    var sonobuoy = false

    func validate() throws {
        if doneFile != nil && junit == nil {
            throw ValidationError("--done-file names the JUnit file in it: give --junit too.")
        }
        if sonobuoy && doneFile != nil {
            throw ValidationError("--sonobuoy writes sonobuoy's done file itself: leave out --done-file.")
        }
        _ = try pushgatewayClient
    }

    /// The Pushgateway `--pushgateway` names, if any.
    var pushgatewayClient: PushgatewayClient? {
        get throws {
            try pushgateway.map(PushgatewayClient.init(address:))
        }
    }

    /// Sonobuoy's results directory, under `--sonobuoy`.
    var sonobuoyResults: String? {
        guard sonobuoy else { return nil }
        let given = ProcessInfo.processInfo.environment["SONOBUOY_RESULTS_DIR"] ?? ""
        return given.isEmpty ? "/tmp/sonobuoy/results" : given
    }

    /// The done file: sonobuoy's, naming its results directory, which holds everything; else
    /// `--done-file`'s, naming the JUnit file.
    var done: DoneFile.Target? {
        if let directory = sonobuoyResults {
            return DoneFile.Target(file: directory + "/done", results: directory, junit: directory + "/" + Self.sonobuoyJUnit)
        }
        return doneFile.flatMap { file in junit.map { DoneFile.Target(file: file, results: $0, junit: $0) } }
    }

    /// The JUnit file sonobuoy's results hold.
    static let sonobuoyJUnit = "podbench-junit.xml"

    var files: ReportFiles {
        var files = ReportFiles()
        if let directory = sonobuoyResults {
            files.add(.junit, directory + "/" + Self.sonobuoyJUnit)
            files.add(.html, directory + "/podbench-report.html")
            files.add(.json, directory + "/podbench-report.json")
        }
        files.add(.html, html)
        files.add(.junit, junit)
        files.add(.markdown, markdown)
        files.add(.openmetrics, openmetrics)
        files.add(.prometheus, prometheus)
        return files
    }
}
