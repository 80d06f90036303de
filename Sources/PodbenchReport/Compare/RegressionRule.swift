import Histogram
// TEMPORARY stub until the real rule lands.
public struct MetricSample: Sendable {
    public var p50: Double
    public var p99: Double
    public var histogram: Histogram<UInt64>?
    public var higherIsBetter: Bool
    public init(p50: Double, p99: Double, histogram: Histogram<UInt64>? = nil, higherIsBetter: Bool = false) {
        self.p50 = p50; self.p99 = p99; self.histogram = histogram; self.higherIsBetter = higherIsBetter
    }
}
public struct MetricJudgement: Sendable, Equatable {
    public enum Verdict: String, Sendable, Codable { case improved, unchanged, regressed }
    public var verdict: Verdict
    public var p50Change: Double
    public var p99Change: Double
    public var reason: String
}
public struct RegressionRule: Sendable {
    public static let defaultTolerance = 0.10
    public var tolerance: Double
    public init(tolerance: Double = defaultTolerance) { self.tolerance = tolerance }
    public func judge(base: MetricSample, new: MetricSample, history: [MetricSample]) -> MetricJudgement {
        let c50 = base.p50 > 0 ? new.p50 / base.p50 - 1 : 0
        let c99 = base.p99 > 0 ? new.p99 / base.p99 - 1 : 0
        let sign = base.higherIsBetter ? -1.0 : 1.0
        let verdict: MetricJudgement.Verdict = sign * c50 > tolerance || sign * c99 > tolerance ? .regressed : sign * c50 < -tolerance ? .improved : .unchanged
        return MetricJudgement(verdict: verdict, p50Change: c50, p99Change: c99, reason: "stub")
    }
}
