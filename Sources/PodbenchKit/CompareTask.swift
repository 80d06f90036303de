import PodbenchReport
import PodbenchStore
import PodbenchSystem

/// What `podbench compare` does: a run against another, or against its reference (its
/// baseline, else the run before it with its fingerprint), as text or JSON; with nothing to
/// compare with, as on a nightly job's first night, it says so and nothing regressed.
public struct CompareTask {
    /// The base run; nil: the new run's reference.
    public var base: Int64?
    /// The new run; nil: the newest.
    public var new: Int64?
    /// Every metric's tolerance in percent, overriding the scenarios'.
    public var tolerance: Double?
    /// Whether a regression is a failed status.
    public var failOnRegression = false
    /// Whether unchanged metrics are listed too.
    public var all = false
    /// Whether the absolute figures are judged even where both runs were calibrated.
    public var absolute = false
    /// Whether the comparison is printed as JSON (null when there is nothing to compare with).
    public var json = false

    public init() {}

    /// Compares, prints, and says the status: failed when a metric regressed and
    /// `failOnRegression` asks so.
    public func run(_ database: ResultsDatabase, console: Console = Console()) throws -> ExitStatus {
        let store = try database.openForReading()
        let loader = ReportLoader(store: store)
        func load(_ id: Int64?) throws -> RunReport {
            if let run = try loader.load(runId: id) { return run }
            guard let id else {
                throw PodbenchError(.notFound, "the database \(database.path) holds no runs; 'podbench run' stores some")
            }
            throw database.noSuchRun(id)
        }
        var newRun = try load(new)
        newRun.floor = try HostFloor.find(for: newRun, in: store)
        var gate = RegressionGate(store: store, tolerance: tolerance.map { $0 / 100 })
        gate.absolute = absolute
        let comparison: Comparison
        if let base {
            var comparer = Comparer(store: store, tolerance: gate.tolerance)
            comparer.absolute = absolute
            comparison = try comparer.compare(base: try load(base), new: newRun)
        } else if let reference = try gate.evaluate(newRun) {
            comparison = reference
            if !comparison.againstBaseline, !json {
                console.print(console.paint("no baseline older than run \(newRun.id) is set for \(newRun.run.runtime) on \(newRun.run.host): comparing with the run before it".terminalSafe, .dim))
            }
        } else {
            // The first run of a runtime, host and fingerprint (a nightly job's first night):
            // nothing to hold it against, so nothing regressed.
            if json {
                console.print("null")
                return .passed
            }
            console.print("podbench: run \(newRun.id) has nothing to compare with: no baseline of \(newRun.run.runtime) on \(newRun.run.host) is set and no earlier run there has its fingerprint (\(newRun.fingerprint.digest)); no regression gate this time. 'podbench baseline set RUN' sets a baseline.".terminalSafe)
            return .passed
        }
        console.print(json ? try ListingJSON.comparison(comparison) : ComparisonText(console: console, all: all).render(comparison))
        return failOnRegression && !comparison.regressions.isEmpty ? .failed : .passed
    }
}
