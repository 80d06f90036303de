import Foundation
import PodbenchStore

/// What a report shows: the selected runs, and for the newest its baseline comparison and
/// metric trends. Every format renders this; nothing is measured again.
public struct Report: Sendable {
    /// Oldest first.
    public var runs: [RunReport]
    /// The baseline of the newest run's runtime and host, when one is set.
    public var baseline: RunReport?
    /// The baseline against the newest run.
    public var comparison: Comparison?
    /// p50 and p99 of each metric of the newest run over its runtime's and host's recent runs.
    public var trends: [MetricTrend]
    /// Scenario × runtime class, when the selected runs cover more than one.
    public var matrix: RuntimeMatrix? { RuntimeMatrix(runs) }
    /// `podbench 0.1.0`.
    public var generator: String
    public var generatedAt: Date

    public var latest: RunReport? { runs.last }

    public init(runs: [RunReport], baseline: RunReport? = nil, comparison: Comparison? = nil, trends: [MetricTrend] = [], generator: String, generatedAt: Date = Date()) {
        self.runs = runs
        self.baseline = baseline
        self.comparison = comparison
        self.trends = trends
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
