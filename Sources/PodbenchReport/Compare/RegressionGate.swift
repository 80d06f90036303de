import PodbenchStore

/// Finds what a run is held against, and holds it there: the one rule that `run
/// --fail-on-regression`, `compare` and every report follow, so that a run the gate fails shows
/// the same regression in its reports.
public struct RegressionGate: Sendable {
    public let store: ResultStore
    /// Overrides every scenario's tolerance when set.
    public var tolerance: Double?
    /// Whether the absolute figures are judged even where both runs stand on host twins.
    public var absolute = false

    public init(store: ResultStore, tolerance: Double? = nil) {
        self.store = store
        self.tolerance = tolerance
    }

    /// What a run is compared with.
    public struct Reference: Sendable {
        public var run: RunReport
        /// The baseline of the run's runtime and host, not the run before it.
        public var isBaseline: Bool
    }

    /// The reference of `run`: the baseline of its runtime and host when one is set and is older
    /// than `run`, else the newest finished run before it on that runtime and host with the same
    /// fingerprint (runs elsewhere are no reference for this environment); nil when neither
    /// exists. `scenarios`, when not empty, limits what is loaded of the reference.
    public func reference(for run: RunReport, scenarios: [String] = []) throws -> Reference? {
        let loader = ReportLoader(store: store)
        if let baseline = try store.baseline(runtime: run.run.runtime, host: run.run.host), baseline.runId < run.id,
            let report = try loader.load(store.runs(RunFilter(ids: [baseline.runId])), scenarios: scenarios).first
        {
            return Reference(run: report, isBaseline: true)
        }
        guard let previous = try previousRun(of: run) else { return nil }
        return try loader.load([previous], scenarios: scenarios).first.map { Reference(run: $0, isBaseline: false) }
    }

    /// The newest finished run before `run` on its runtime and host with its fingerprint, looked
    /// for a page of runs at a time.
    func previousRun(of run: RunReport) throws -> RunRecord? {
        let digest = run.fingerprint.digest
        var before = run.id
        while true {
            let page = try store.runs(RunFilter(last: 50, runtime: run.run.runtime, host: run.run.host, before: before, finishedOnly: true))
            if let match = page.last(where: { $0.environment.digest == digest }) { return match }
            guard page.count == 50, let oldest = page.first?.id else { return nil }
            before = oldest
        }
    }

    /// `run` against its reference; nil when it has none.
    public func evaluate(_ run: RunReport, scenarios: [String] = []) throws -> Comparison? {
        guard let reference = try reference(for: run, scenarios: scenarios) else { return nil }
        var comparer = Comparer(store: store, tolerance: tolerance)
        comparer.absolute = absolute
        var comparison = try comparer.compare(base: reference.run, new: run)
        comparison.againstBaseline = reference.isBaseline
        return comparison
    }

    /// `run` against its reference, reusing `report`'s comparison of it (the newest run's, or a
    /// runtime-class matrix column's) when the report was built with this gate's tolerance:
    /// `run --fail-on-regression` judges what its report shows, once.
    public func evaluate(_ run: RunReport, reusing report: Report) throws -> Comparison? {
        if report.tolerance == tolerance, report.scenarios.isEmpty {
            if run.id == report.latest?.id { return report.comparison }
            if let shown = report.otherComparisons.first(where: { $0.new.id == run.id }) { return shown }
        }
        return try evaluate(run)
    }
}
