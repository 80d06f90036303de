import Foundation
import PodbenchStore

/// What a report shows: the selected runs, and for the newest its comparison with its reference
/// and its metric trends. Every format renders this; nothing is measured again.
public struct Report: Sendable {
    /// Oldest first.
    public var runs: [RunReport]
    /// The baseline run of the newest run's runtime and host, when one is set (it may lie outside
    /// the trends, or be the newest run itself).
    public var baselineId: Int64?
    /// The newest run against its reference, as the regression gate holds it
    /// (`RegressionGate.reference(for:)`): the baseline, else the run before it; nil when it
    /// has neither.
    public var comparison: Comparison?
    /// When the runs form a runtime-class matrix: the newest run of each other runtime class
    /// against its own reference, in column order, so that a regression the gate finds in any
    /// run of a matrix job shows where the job's summary is read.
    public var otherComparisons: [Comparison] = []
    /// p50 and p99 of each metric of the newest run over its runtime's and host's recent runs.
    public var trends: [MetricTrend]
    /// The tolerance that overrode the scenarios' in the comparison and trends, when one did.
    public var tolerance: Double?
    /// The scenarios the selection was limited to (none: every scenario).
    public var scenarios: [String]
    /// Scenario × runtime class, when the selected runs cover more than one.
    public var matrix: RuntimeMatrix? { RuntimeMatrix(runs) }
    /// `podbench 0.1.0`.
    public var generator: String
    public var generatedAt: Date

    public var latest: RunReport? { runs.last }

    /// The comparison of `run` with its reference, where the report holds one (the newest
    /// run's, or a runtime-class matrix column's).
    public func comparison(of run: RunReport) -> Comparison? {
        ([comparison] + otherComparisons).lazy.compactMap { $0 }.first { $0.new.id == run.id }
    }

    /// What `run` came to (`RunOutcome`), the same in every format.
    public func outcome(of run: RunReport) -> RunOutcome {
        run.outcome(against: comparison(of: run))
    }

    /// `run`'s warnings: failed SHOULD and INFO checks, and regressions the gate did not fail it for.
    public func warnings(of run: RunReport) -> RunWarnings {
        run.warnings(against: comparison(of: run))
    }

    public init(runs: [RunReport], baselineId: Int64? = nil, comparison: Comparison? = nil, trends: [MetricTrend] = [], tolerance: Double? = nil, scenarios: [String] = [], generator: String, generatedAt: Date = Date()) {
        self.runs = runs
        self.baselineId = baselineId
        self.comparison = comparison
        self.trends = trends
        self.tolerance = tolerance
        self.scenarios = scenarios
        self.generator = generator
        self.generatedAt = generatedAt
    }
}

/// One metric over recent runs.
public struct MetricTrend: Sendable {
    public var key: MetricKey
    public var unit: String
    /// Oldest first.
    public var points: [TrendPoint]
}

/// A report format: terminal text, HTML, JUnit XML, JSON or Markdown.
public protocol ReportFormat: Sendable {
    func render(_ report: Report) throws -> String
}
