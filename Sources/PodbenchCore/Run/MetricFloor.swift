import Histogram

/// A metric's host twin: the same probes, channel, size and placement run as plain processes
/// (as `--runtime host` runs them) taking turns with the pod's measurement (`Turns`), or, where
/// its probes cannot take turns, right before and right after it (A-B-A), so that the floor and
/// the pod's figure see the machine at one moment. The pod's figure over the floor's is what
/// the pod adds.
public struct MetricFloor: Sendable {
    /// The twin that took turns with the pod; where it could not, the one measured right before.
    public var before: Histogram<UInt64>
    /// The twin measured right after the pod (A-B-A); nil where one twin took turns with it.
    public var after: Histogram<UInt64>?

    public init(before: Histogram<UInt64>, after: Histogram<UInt64>?) {
        self.before = before
        self.after = after
    }

    /// The twin that took turns with the pod.
    public init(turns: Histogram<UInt64>) {
        self.init(before: turns, after: nil)
    }

    /// Whether the twin took turns with the pod (else it ran before and after it).
    public var tookTurns: Bool { after == nil }

    /// The twins' histograms: one that took turns, or the one before and the one after.
    public var twins: [Histogram<UInt64>] { [before] + (after.map { [$0] } ?? []) }

    /// Every sample of the twins: the floor's figures.
    public var merged: Histogram<UInt64> {
        after.map(before.adding) ?? before
    }

    /// How many samples the floor holds.
    public var count: UInt64 { twins.reduce(0) { $0 + $1.totalCount } }

    /// The floors of two repetitions of a scenario as one (A-B-A only where both were).
    public func adding(_ other: MetricFloor) -> MetricFloor {
        guard let after, let otherAfter = other.after else { return MetricFloor(turns: merged.adding(other.merged)) }
        return MetricFloor(before: before.adding(other.before), after: after.adding(otherAfter))
    }
}

extension Histogram<UInt64> {
    /// This histogram's samples and `other`'s.
    func adding(_ other: Histogram<UInt64>) -> Histogram<UInt64> {
        var sum = self
        sum.add(other)
        return sum
    }
}

extension ScenarioResult {
    /// The result with each valid latency between containers given its host twin: the same
    /// metric of `before` and `after`, the scenario run on the host right before and right after
    /// this result's, where both measured it validly. Other metrics stay as they are.
    public func calibrated(before: ScenarioResult, after: ScenarioResult) -> ScenarioResult {
        calibrated(by: [before, after]) { MetricFloor(before: $0[0], after: $0[1]) }
    }

    /// The result with each valid latency between containers given the same metric of `twin`,
    /// the scenario run on the host taking turns with this result's, where it measured it
    /// validly.
    public func calibrated(turns twin: ScenarioResult) -> ScenarioResult {
        calibrated(by: [twin]) { MetricFloor(turns: $0[0]) }
    }

    private func calibrated(by twins: [ScenarioResult], _ floor: ([Histogram<UInt64>]) -> MetricFloor) -> ScenarioResult {
        func twin(of metric: MetricResult, in result: ScenarioResult) -> Histogram<UInt64>? {
            result.metrics.first {
                $0.name == metric.name && $0.source == metric.source && $0.placement?.placement == metric.placement?.placement && $0.invalid == nil && $0.count > 0
            }?.histogram
        }
        var calibrated = self
        calibrated.metrics = metrics.map { metric in
            let histograms = twins.compactMap { twin(of: metric, in: $0) }
            guard metric.isCalibratable, histograms.count == twins.count else { return metric }
            var metric = metric
            metric.floor = floor(histograms)
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
