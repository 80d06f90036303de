import Foundation
import PodbenchCore
import PodbenchKit
import PodbenchRuntime
import PodbenchStore
import PodbenchSystem
import Synchronization
import Testing

/// `run --calibrate`: each measuring scenario between two runs of it on the host (A-B-A), on
/// the real local and host runtimes, and its latencies stored with their twins.
@Suite struct CalibratedRunTests {
    /// What the runtimes ran, in order.
    final class Log: Sendable {
        let entries = Mutex<[String]>([])
    }

    /// A runtime that notes each scenario it runs, in the order they ran, then runs it.
    struct Noting: PodRuntime {
        let runtime: any PodRuntime
        let log: Log

        var kind: RuntimeKind { runtime.kind }
        var runsPodsHere: Bool { runtime.runsPodsHere }
        var hasPods: Bool { runtime.hasPods }
        var waitsTogether: Bool { runtime.waitsTogether }
        func refusal(_ scenario: Scenario) -> String? { runtime.refusal(scenario) }
        func describe() async -> RuntimeDescription { await runtime.describe() }

        func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome] {
            log.entries.withLock { $0.append("\(kind.rawValue) \(scenario.name)") }
            return try await runtime.run(scenario)
        }
    }

    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let probe = URL(filePath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        .deletingLastPathComponent().appending(path: "podbench-probe").path

    @Test func aMeasuringScenarioRunsBetweenItsTwinsAndAWaitingOneAlone() async throws {
        let directory = NSTemporaryDirectory() + "podbench-calibrated-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The host runtime's processes share the machine's ports: a port of this test's own.
        for name in ["localhost-tcp", "pod-isolation-ipc"] {
            let text = try String(contentsOf: Self.repository.appending(path: "Scenarios/\(name).yaml"), encoding: .utf8)
            try text.replacingOccurrences(of: "port: 5201", with: "port: 5292").write(toFile: "\(directory)/\(name).yaml", atomically: true, encoding: .utf8)
        }
        let scenarios = try ScenarioLoader.load(paths: [directory])
        #expect(scenarios.count == 2)
        let log = Log()
        var settings = RuntimeSettings()
        settings.probePath = Self.probe
        let store = try ResultStore(path: directory + "/r.sqlite")
        var runner = Runner(runtime: Noting(runtime: try #require(RuntimeRegistry.forRun(.local, settings).first), log: log), store: store, console: Console(isTerminal: false, environment: [:]))
        runner.twin = Noting(runtime: try #require(RuntimeRegistry.forRun(.host, settings).first), log: log)
        runner.cpuIdle = .system
        let outcome = try await runner.run(scenarios)
        #expect(log.entries.withLock { $0 } == ["local pod-isolation-ipc", "host localhost-tcp", "local localhost-tcp", "host localhost-tcp"],
                "the waiting scenario alone, the measuring one between its twins")
        #expect(outcome.results.map(\.status) == [.pass, .pass], "the twins' verdicts are not the run's")
        let rows = try store.metrics(scenarioResultIds: try store.scenarioResults(runId: outcome.runId).compactMap(\.id))
        let twinned = rows.filter { $0.floorBefore != nil }
        #expect(!twinned.isEmpty && twinned.allSatisfy { $0.placement != nil && $0.unit == "ns" && $0.floorAfter != nil && $0.floorP50 != nil })
        #expect(rows.filter { $0.placement == nil }.allSatisfy { $0.floorBefore == nil }, "a figure that is not between containers has no twin")
    }
}
