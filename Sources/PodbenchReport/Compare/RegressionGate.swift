import PodbenchStore

/// Finds what a run is held against: the baseline of its runtime and host, or when none is set
/// the newest finished run before it there.
public struct RegressionGate: Sendable {
    public let store: ResultStore
    public var tolerance: Double?

    public init(store: ResultStore, tolerance: Double? = nil) {
        self.store = store
        self.tolerance = tolerance
    }

    /// The reference run of `run`, and whether it is the baseline.
    public func reference(for run: RunReport) throws -> (run: RunReport, isBaseline: Bool)? {
        let loader = ReportLoader(store: store)
        if let baseline = try store.baseline(runtime: run.run.runtime, host: run.run.host), baseline.runId != run.id,
            let report = try loader.load(runId: baseline.runId)
        {
            return (report, true)
        }
        let previous = try store.runs(RunFilter(last: 1, runtime: run.run.runtime, host: run.run.host, before: run.id, finishedOnly: true))
        return try loader.load(previous).first.map { ($0, false) }
    }

    /// `run` against its reference; nil when it has none.
    public func evaluate(_ run: RunReport) throws -> Comparison? {
        guard let reference = try reference(for: run) else { return nil }
        return try Comparer(store: store, tolerance: tolerance).compare(base: reference.run, new: run)
    }
}
