import Histogram

/// A metric's host twin: the same probes, channel, size and placement run as plain processes
/// (as `--runtime host` runs them) right before and right after the pod's measurement (A-B-A),
/// so that the floor and the pod's figure see the machine at one moment. The pod's figure over
/// the floor's is what the pod adds.
public struct MetricFloor: Sendable {
    /// The twin measured right before the pod.
    public var before: Histogram<UInt64>
    /// The twin measured right after the pod.
    public var after: Histogram<UInt64>

    public init(before: Histogram<UInt64>, after: Histogram<UInt64>) {
        self.before = before
        self.after = after
    }

    /// Both twins' samples: the floor's figures.
    public var merged: Histogram<UInt64> {
        var merged = before
        merged.add(after)
        return merged
    }

    /// The floors of two repetitions of a scenario as one.
    public func adding(_ other: MetricFloor) -> MetricFloor {
        var sum = self
        sum.before.add(other.before)
        sum.after.add(other.after)
        return sum
    }
}

extension ScenarioResult {
    /// The result with each valid latency between containers given its host twin: the same
    /// metric of `before` and `after`, the scenario run on the host right before and right after
    /// this result's, where both measured it validly. Other metrics stay as they are.
    public func calibrated(before: ScenarioResult, after: ScenarioResult) -> ScenarioResult {
        func twin(of metric: MetricResult, in result: ScenarioResult) -> Histogram<UInt64>? {
            result.metrics.first {
                $0.name == metric.name && $0.source == metric.source && $0.placement?.placement == metric.placement?.placement && $0.invalid == nil && $0.count > 0
            }?.histogram
        }
        var calibrated = self
        calibrated.metrics = metrics.map { metric in
            guard metric.isCalibratable, let earlier = twin(of: metric, in: before), let later = twin(of: metric, in: after) else { return metric }
            var metric = metric
            metric.floor = MetricFloor(before: earlier, after: later)
            return metric
        }
        return calibrated
    }
}

extension MetricResult {
    /// Whether a host twin can stand under it: a valid latency measured between containers.
    public var isCalibratable: Bool {
        placement != nil && unit == "ns" && invalid == nil && count > 0
    }
}
