import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchStore

/// Runs made up from a seed, written through the store's own API: for the report speed
/// benchmark and for tests of comparisons and the regression gate. Nothing here is a
/// measurement.
public struct SyntheticHistory {
    public var generator: SplitMix64

    public init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    /// `count` latencies (ns) around `median`, log-normal with spread `sigma`, as a metric.
    public mutating func metric(_ name: String, source: String?, median: Double, sigma: Double = 0.25, count: Int = 2000) -> MetricResult {
        var recorder = LatencyRecorder(capacity: count)
        for _ in 0..<count {
            // Box–Muller.
            let u = Double.random(in: Double.ulpOfOne..<1, using: &generator), v = Double.random(in: 0..<1, using: &generator)
            let normal = (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
            recorder.record(UInt64(Swift.max(1, median * exp(sigma * normal))))
        }
        return MetricResult(name: name, unit: "ns", source: source, histogram: recorder.histogram())
    }

    /// A result of `scenario` with every expected check passing but those in `failing`, and
    /// the first two metrics of each role (as many as a real run reports) around a median of
    /// 20-60 us times `slowdown`, as narrow as real round trips (sigma 0.12).
    public mutating func result(of scenario: Scenario, slowdown: Double = 1, failing: Set<String> = [], count: Int = 500) -> ScenarioResult {
        let checks = scenario.expectations.map { expectation in
            CheckResult(name: expectation.check, level: expectation.level, passed: !failing.contains(expectation.check), message: failing.contains(expectation.check) ? "synthetic failure" : "synthetic pass", source: nil)
        }
        var metrics: [MetricResult] = []
        for pod in scenario.pods {
            for container in pod.containers {
                for name in (ProbeCatalog.spec(role: container.probe)?.metrics ?? []).prefix(2).map(\.text) {
                    let median = 20_000 + Double(name.utf8.reduce(0) { $0 &+ Int($1) } % 40) * 1_000
                    metrics.append(metric(name, source: "\(pod.name)/\(container.name)", median: median * slowdown, sigma: 0.12, count: count))
                }
            }
        }
        return ScenarioResult(scenario: scenario.name, status: failing.isEmpty ? .pass : .fail, startedAt: Date(), duration: 1, checks: checks, metrics: metrics)
    }

    /// Writes one finished run of every scenario; returns its id.
    @discardableResult
    public mutating func writeRun(_ scenarios: [Scenario], to store: ResultStore, fingerprint: Fingerprint, host: String = "synthetic", startedAt: Date = Date(), slowdown: Double = 1, count: Int = 500) throws -> Int64 {
        var results: [ScenarioResult] = []
        for scenario in scenarios { results.append(result(of: scenario, slowdown: slowdown, count: count)) }
        return try Self.write(results, to: store, fingerprint: fingerprint, host: host, startedAt: startedAt)
    }

    /// Writes one finished run of these results; returns its id.
    @discardableResult
    public static func write(_ results: [ScenarioResult], to store: ResultStore, fingerprint: Fingerprint, host: String = "synthetic", startedAt: Date = Date()) throws -> Int64 {
        let runId = try store.beginRun(runtime: fingerprint.runtime, host: host, fingerprint: fingerprint, startedAt: startedAt)
        for result in results {
            try store.save(result, runId: runId)
        }
        try store.finishRun(runId, status: .passed, finishedAt: startedAt.addingTimeInterval(20))
        return runId
    }

    public static let fingerprint = Fingerprint(
        cpuModel: "Synthetic CPU", cpuCount: 2, kernel: "6.1.0", cgroupVersion: "v2", runtime: "local", runtimeVersion: "",
        podCPULimit: "unlimited", podMemoryLimit: "unlimited", podbenchVersion: "0.1.0")
}
