import PodbenchCore

/// Two runs side by side: what changed in conformance, then in each metric.
public struct Comparison: Sendable {
    public var base: RunReport
    public var new: RunReport
    /// `label: old → new` for each fingerprint field that differs: figures from different
    /// environments are not like for like.
    public var fingerprintDifferences: [String]
    public var conformanceChanges: [ConformanceChange]
    public var metrics: [MetricComparison]
    /// Scenarios of the base the new run did not run, and the new run's that the base did not:
    /// not compared (their checks did not change, they were not run).
    public var notRun: [String] = []
    public var notInBase: [String] = []
    /// Whether the base is the baseline of the new run's runtime and host (else the run before
    /// it, or a run someone chose).
    public var againstBaseline = false

    /// Checks that passed in the base and fail (or are flaky) now.
    public var newFailures: [ConformanceChange] {
        conformanceChanges.filter { $0.isNewFailure }
    }

    /// What the base is, for a heading: `baseline run 3`, `previous run 8`.
    public var baseLabel: String {
        (againstBaseline ? "baseline run " : "previous run ") + String(base.id)
    }

    /// What is compared, for a heading: `against previous run 8`; in a runtime-class matrix,
    /// where each class has its own, `run 9 (runc) against previous run 8`.
    public func heading(inMatrix: Bool) -> String {
        let against = "against " + baseLabel
        return inMatrix ? "run \(new.id) (\(new.fingerprint.runtimeClass ?? "default")) " + against : against
    }

    public var regressions: [MetricComparison] {
        metrics.filter { $0.judgement?.verdict == .regressed }
    }
}

/// A check whose outcome differs between the two runs (nil: not reported in that run).
public struct ConformanceChange: Sendable {
    public var scenario: String
    public var check: String
    public var level: Level
    public var from: CheckSummary.Outcome?
    public var to: CheckSummary.Outcome?
    /// The evidence in the new run, or in the base when the check is gone.
    public var message: String

    public var isNewFailure: Bool {
        (to == .fail || to == .flaky) && from != to
    }
}

/// One metric in both runs, and the regression rule's verdict.
public struct MetricComparison: Sendable {
    public var key: MetricKey
    public var unit: String
    public var base: MetricReport?
    public var new: MetricReport?
    /// The tolerance the rule applied (the scenario's, else the default).
    public var tolerance: Double
    /// Nil when the metric is in only one of the runs.
    public var judgement: MetricJudgement?
}
