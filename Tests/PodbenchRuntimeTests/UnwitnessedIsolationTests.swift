import PodbenchCore
import PodbenchRuntime
import PodbenchSystem
import PodbenchTestSupport
import Testing

/// An isolation seen while the other pod was not running is not judged (the release of the
/// containers that stay for others is tested through the command line: `ReleaseCommandTests`).
@Suite struct UnwitnessedIsolationTests {
    @Test func aPodThatRanAfterTheOtherProvesNoIsolation() async throws {
        let runtime = try IsolatedRuntime()
        let apart = FakePodsOneAfterAnother(runtime: runtime.runtime)
        let result = await ScenarioExecutor(runtime: apart).run(try named("pod-isolation-network"))
        // Every isolation the clients saw is unjudged, none passed: the server was gone.
        for name in ["tcp.isolated", "abstract.isolated", "net.port-space"] {
            let checks = result.checks.filter { $0.name == name && $0.source?.hasPrefix("pod-b/") == true }
            #expect(!checks.isEmpty && checks.allSatisfy { $0.outcome == .inconclusive }, "\(name): \(checks.map { ($0.outcome, $0.message) })")
            #expect(checks.allSatisfy { $0.message.contains("not judged: no container of pod pod-a it could reach ran while this one waited (they had ended") }, "\(checks.map(\.message))")
        }
        #expect(result.status != .pass)
        // Run at once, the same scenario passes (`holdersAndIsolatedServers...` above).
        try runtime.expectNothingLeft()
    }
}

/// A runtime broken on purpose: it runs a scenario's pods one after the other on the local
/// runtime, so that no two pods ever run at once.
struct FakePodsOneAfterAnother: PodRuntime {
    let runtime: LocalRuntime
    var kind: RuntimeKind { runtime.kind }

    func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome] {
        var outcomes: [ContainerOutcome] = []
        for pod in scenario.pods {
            var alone = scenario
            alone.pods = [pod]
            outcomes += try await runtime.run(alone)
        }
        return outcomes
    }
}
