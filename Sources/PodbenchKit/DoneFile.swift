import Foundation
import PodbenchCore
import PodbenchReport
import PodbenchSystem

/// The end of sonobuoy's plugin contract: once its results are complete, a plugin writes a
/// "done" file holding the results file's path, which sonobuoy's worker waits for, then sends
/// that file to the aggregator. `podbench run --done-file` writes it last, on every path that
/// got past the command line: a run that could not be carried out leaves a JUnit file that
/// says why, so that sonobuoy reports the failure instead of waiting for its timeout.
public enum DoneFile {
    /// Writes `done`, naming `results` (the JUnit file, or the directory that holds every
    /// result, which the worker sends as a tarball); when the run failed with `failure`, first
    /// a JUnit file at `junit` holding it as an error. Both are written whole (the worker reads
    /// the done file as soon as it appears), and the done file holds the path alone: the worker
    /// opens its text as it is, a line break included.
    public static func signal(_ done: String, results: String, junit: String, failure: (any Error)?) throws {
        if let failure {
            try ReportFile.write(JUnitReport.failedRun(PodbenchError(failure).description), to: junit)
        }
        try ReportFile.write(absolute(results), to: done)
    }

    /// A run's done file: where it goes, what it names, and the JUnit file a failure leaves.
    public struct Target: Sendable {
        public var file: String
        public var results: String
        public var junit: String

        public init(file: String, results: String, junit: String) {
            self.file = file
            self.results = results
            self.junit = junit
        }
    }

    /// Runs `body`, then writes the done file, whatever `body` came to (`signal`); with no
    /// target, just runs it. A done file that cannot be written is bad input, said before
    /// `body` runs.
    public static func around<Result>(_ target: Target?, _ body: () async throws -> Result) async throws -> Result {
        guard let target else { return try await body() }
        if let problem = ReportFile.problem(writing: target.file) {
            throw PodbenchError(.badInput, "the done file \(target.file) cannot be written: \(problem); name another file. Nothing was run.")
        }
        let result: Result
        do {
            result = try await body()
        } catch {
            try? signal(target.file, results: target.results, junit: target.junit, failure: error)
            throw error
        }
        do {
            try signal(target.file, results: target.results, junit: target.junit, failure: nil)
        } catch {
            throw PodbenchError(.runtime, "\(error)")
        }
        return result
    }

    /// The path as the worker, whose working directory is not podbench's, must see it.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }
}
