import Foundation
import PodbenchProbeInterface

/// Runs one scenario on a runtime and judges it, storing nothing: what a run does for each
/// scenario, and all a runtime's tests need.
public struct ScenarioExecutor: Sendable {
    public let runtime: any PodRuntime
    /// Told every container's outcome before they are judged (a run logs them at debug level).
    public var onOutcomes: (@Sendable ([ContainerOutcome]) -> Void)?

    public init(runtime: any PodRuntime, onOutcomes: (@Sendable ([ContainerOutcome]) -> Void)? = nil) {
        self.runtime = runtime
        self.onOutcomes = onOutcomes
    }

    /// Runs and judges `scenario`; a runtime failure makes it an error, not a verdict.
    public func run(_ scenario: Scenario) async -> ScenarioResult {
        let startedAt = Date()
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double {
            let duration = clock.now - start
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        if let refusal = runtime.refusal(scenario) {
            return ScenarioResult(scenario: scenario.name, status: .skipped, startedAt: startedAt, duration: 0, error: refusal)
        }
        do {
            let outcomes = try await runtime.run(scenario)
            onOutcomes?(outcomes)
            let host = runtime.runsPodsHere ? NamespaceIdentity.current() : nil
            return Judge.judge(scenario, outcomes: outcomes, host: host, pods: runtime.hasPods, startedAt: startedAt, duration: elapsed())
        } catch {
            return ScenarioResult(scenario: scenario.name, status: .error, startedAt: startedAt, duration: elapsed(), error: error.description)
        }
    }
}
