import PodbenchCore
import PodbenchStore

/// The floor under a pod run's figures: the newest host run (`--runtime host`, the same probes
/// as plain processes) of the same host on the same machine, at the same placement and
/// podbench version. Each metric of the pod run over its host figure is the pod's overhead.
public struct HostFloor: Sendable {
    /// The host run.
    public var runId: Int64
    /// p50 and p99 of each of its metrics.
    public var metrics: [MetricKey: MetricSample]

    /// The host figure under a metric, nil where the host run has none (an isolation scenario).
    public func sample(under metric: MetricReport) -> MetricSample? {
        metric.withoutSamples == nil ? metrics[metric.key] : nil
    }

    /// A pod metric's p50 and p99 over the host's: 1.3 means 30% slower in the pod (for a
    /// throughput, 30% faster).
    public func overhead(of metric: MetricReport) -> (p50: Double, p99: Double)? {
        guard let host = sample(under: metric), host.p50 > 0, host.p99 > 0 else { return nil }
        return (Double(metric.percentile(50)) / host.p50, Double(metric.percentile(99)) / host.p99)
    }

    /// The floor of `run`, or nil for a host run and where no host run matches.
    public static func find(for run: RunReport, in store: ResultStore) throws -> HostFloor? {
        guard run.run.runtime != RuntimeKind.host.rawValue else { return nil }
        let candidates = try store.runs(RunFilter(last: 50, runtime: RuntimeKind.host.rawValue, host: run.run.host, finishedOnly: true))
        guard let host = candidates.last(where: { $0.environment.isSameMachine(as: run.fingerprint) }), let id = host.id else { return nil }
        return HostFloor(runId: id, metrics: Comparer.samples(try store.metricSummaries(runIds: [id]))[id] ?? [:])
    }
}

extension Fingerprint {
    /// Whether two runs measured one machine as it was (CPU, kernel, cgroups), at one
    /// placement, with one podbench: whatever runtime ran them.
    func isSameMachine(as other: Fingerprint) -> Bool {
        let machine = { (fingerprint: Fingerprint) in
            fingerprint.comparedFields.filter { !["runtime", "runtime class", "pod limits"].contains($0.label) }.map(\.value)
        }
        return machine(self) == machine(other)
    }
}
