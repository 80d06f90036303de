import Foundation
import PodbenchReport

/// The reports `run` writes at its end, as flags give them: files, a Pushgateway, a done file,
/// or sonobuoy's results directory.
public struct ReportFileFlags: Sendable {
    public var html: String?
    public var junit: String?
    public var markdown: String?
    public var openmetrics: String?
    public var prometheus: String?
    /// The Pushgateway each run of the matrix is pushed to (`http://host:9091`).
    public var pushgateway: String?
    /// The done file naming the JUnit file (sonobuoy's worker waits for it).
    public var doneFile: String?
    /// Whether podbench runs as a sonobuoy plugin.
    public var sonobuoy = false

    public init() {}

    /// The JUnit file sonobuoy's results hold.
    static let sonobuoyJUnit = "podbench-junit.xml"

    /// Throws what is wrong: flags that do not go together, or a Pushgateway address that is not
    /// one (bad input).
    public func validate() throws {
        if doneFile != nil && junit == nil {
            throw UsageError("--done-file names the JUnit file in it: give --junit too.")
        }
        if sonobuoy && doneFile != nil {
            throw UsageError("--sonobuoy writes sonobuoy's done file itself: leave out --done-file.")
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
