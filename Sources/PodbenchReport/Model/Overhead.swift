import Foundation
import Histogram
import PodbenchCore

/// What the pod adds to a latency at one percentile: its figure over its host twin's, measured
/// in the same run taking turns with it or right before and after it (`MetricFloor`), so that a
/// machine that is slower this hour slows both. 1.3 is 30% slower in the pod.
public struct Overhead: Sendable, Equatable {
    /// The pod's figure over the floor's (both twins together).
    public var ratio: Double
    /// A 95% interval: the pod's figure at its lower bound over the floor's at its upper, and the
    /// other way round. Each bound is the order statistic's (distribution-free), and the floor's
    /// spans both twins' where they ran before and after, so that a machine that drifted between
    /// them widens it.
    public var low: Double
    public var high: Double

    public init(ratio: Double, low: Double, high: Double) {
        self.ratio = ratio
        self.low = low
        self.high = high
    }

    /// `×1.12 [1.08, 1.17]`.
    public var text: String {
        "×" + Self.format(ratio) + " [" + Self.format(low) + ", " + Self.format(high) + "]"
    }

    static func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// The overhead at `percentile` of `pod` over `floor`; nil where either has no samples.
    public static func of(_ pod: Histogram<UInt64>, over floor: MetricFloor, at percentile: Double) -> Overhead? {
        let merged = floor.merged
        guard pod.totalCount > 0, floor.twins.allSatisfy({ $0.totalCount > 0 }) else { return nil }
        let podValue = Double(pod.valueAtPercentile(percentile)), floorValue = Double(merged.valueAtPercentile(percentile))
        let podBounds = bounds(pod, percentile)
        let twins = floor.twins.map { bounds($0, percentile) }
        let floorLow = twins.map(\.low).min() ?? 0, floorHigh = twins.map(\.high).max() ?? 0
        guard floorValue > 0, floorLow > 0 else { return nil }
        return Overhead(ratio: podValue / floorValue, low: podBounds.low / floorHigh, high: podBounds.high / floorLow)
    }

    /// A distribution-free 95% interval of the percentile: the values at the ranks n·q ∓
    /// 1.96·√(n·q·(1−q)) of the histogram's n samples.
    static func bounds(_ histogram: Histogram<UInt64>, _ percentile: Double) -> (low: Double, high: Double) {
        let n = Double(histogram.totalCount), q = percentile / 100
        let spread = 1.96 * (n * q * (1 - q)).squareRoot()
        let low = Swift.max(0, n * q - spread) / n * 100, high = Swift.min(n, n * q + spread) / n * 100
        return (Double(histogram.valueAtPercentile(low)), Double(histogram.valueAtPercentile(high)))
    }
}

extension MetricReport {
    /// What the pod adds at p50 and p99, where the metric has a host twin and samples.
    public var overhead: (p50: Overhead, p99: Overhead)? {
        guard withoutSamples == nil, let floor, let p50 = Overhead.of(histogram, over: floor, at: 50), let p99 = Overhead.of(histogram, over: floor, at: 99) else { return nil }
        return (p50, p99)
    }
}

extension RunReport {
    /// Whether any metric of the run stands on a host twin (`run --calibrate`).
    public var isCalibrated: Bool {
        scenarios.contains { $0.metrics.contains { $0.floor != nil } }
    }

    /// A metric's p50 and p99 over the floor under it: its host twin's in this run where it has
    /// one, else the host run's under the run (`floor`).
    public func overheadRatios(of metric: MetricReport) -> (p50: Double, p99: Double)? {
        if let overhead = metric.overhead { return (overhead.p50.ratio, overhead.p99.ratio) }
        return floor?.overhead(of: metric)
    }
}
