import Foundation
import PodbenchCore
import PodbenchKit
import PodbenchProbeInterface
import PodbenchRuntime
import PodbenchStore
import PodbenchSystem
import Synchronization
import Testing

/// `run --calibrate`: each measuring scenario beside its run on the host, taking turns with it
/// (or, where its probes cannot, between two such runs: A-B-A), on the real local and host
/// runtimes, and its latencies stored with their twins.
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
        var typicalStart: UInt64 { runtime.typicalStart }
        func refusal(_ scenario: Scenario) -> String? { runtime.refusal(scenario) }
        func describe() async -> RuntimeDescription { await runtime.describe() }

        func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome] {
            let turns = scenario.pods.flatMap(\.containers).compactMap { container in container.args.first { $0.name == Turns.parameter.spec.name }?.value }
            log.entries.withLock { $0.append("\(kind.rawValue) \(scenario.name)" + turns.map { " " + $0 }.joined()) }
            return try await runtime.run(scenario)
        }
    }

    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let probe = URL(filePath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        .deletingLastPathComponent().appending(path: "podbench-probe").path

    @Test func aMeasuringScenarioTakesTurnsWithItsTwinOrRunsBetweenTwoAndAWaitingOneAlone() async throws {
        let directory = NSTemporaryDirectory() + "podbench-calibrated-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The host runtime's processes share the machine's ports: a port of this test's own.
        for name in ["localhost-tcp", "localhost-throughput", "localhost-udp-open-loop", "pod-isolation-ipc", "volume-mmap"] {
            let text = try String(contentsOf: Self.repository.appending(path: "Scenarios/\(name).yaml"), encoding: .utf8)
            try text.replacingOccurrences(of: "port: 5201", with: "port: 5292").replacingOccurrences(of: "port: 5211", with: "port: 5293")
                .write(toFile: "\(directory)/\(name).yaml", atomically: true, encoding: .utf8)
        }
        let scenarios = try ScenarioLoader.load(paths: [directory])
        #expect(scenarios.map(\.name) == ["localhost-tcp", "localhost-throughput", "localhost-udp-open-loop", "pod-isolation-ipc", "volume-mmap"])
        let log = Log()
        var settings = RuntimeSettings()
        settings.probePath = Self.probe
        let store = try ResultStore(path: directory + "/r.sqlite")
        var runner = Runner(runtime: Noting(runtime: try #require(RuntimeRegistry.forRun(.local, settings).first), log: log), store: store, console: Console(isTerminal: false, environment: [:]))
        runner.twin = Noting(runtime: try #require(RuntimeRegistry.forRun(.host, settings).first), log: log)
        runner.cpuIdle = .system
        let outcome = try await runner.run(scenarios)
        let entries = log.entries.withLock { $0 }
        #expect(entries.first == "local pod-isolation-ipc", "the waiting scenario alone, first: \(entries)")
        // localhost-tcp: the pod and its twin at once, the client of each with its own part of
        // one rotation.
        let tcp = entries.filter { $0.contains("localhost-tcp") }
        #expect(tcp.count == 2 && entries.dropFirst().prefix(2).allSatisfy { $0.contains("localhost-tcp") }, "\(entries)")
        let pod = try #require(tcp.first { $0.hasPrefix("local ") }), twin = try #require(tcp.first { $0.hasPrefix("host ") })
        let podTurns = try #require(Turns(String(pod.split(separator: " ").last ?? ""))), twinTurns = try #require(Turns(String(twin.split(separator: " ").last ?? "")))
        #expect(podTurns.epoch == twinTurns.epoch && podTurns.period == twinTurns.period && podTurns.offset == 0 && twinTurns.offset == podTurns.length
                && twinTurns.offset + twinTurns.length == twinTurns.period && podTurns.length == twinTurns.length, "one rotation, the pod's turn then the twin's as long: \(tcp)")
        // localhost-throughput: a throughput, which no twin calibrates: alone.
        #expect(entries.filter { $0.contains("localhost-throughput") } == ["local localhost-throughput"], "\(entries)")
        // localhost-udp-open-loop: its requests due every 200 us (5,000/s), each the start of its
        // client's turn: the pod's first 100 us, its twin's the next.
        let open = entries.filter { $0.contains("open-loop") }.compactMap { Turns(String($0.split(separator: " ").last ?? "")) }
        #expect(open.count == 2 && open.allSatisfy { $0.period == 200_000 && $0.length == 100_000 } && Set(open.map(\.offset)) == [0, 100_000], "\(entries)")
        // volume-mmap: both sides spin, so they cannot take turns: between two twins.
        #expect(Array(entries.suffix(3)) == ["host volume-mmap", "local volume-mmap", "host volume-mmap"], "\(entries)")
        // Whether the open loop kept its rate in its turns is timed, and this suite runs beside
        // others: OpenLoopScheduleTests shows its requests fall due as they would alone.
        #expect(outcome.results.map(\.status) == [.pass, .pass, .pass, .pass, .pass], "the twins' verdicts are not the run's")

        let results = try store.scenarioResults(runId: outcome.runId)
        for result in results {
            let rows = try store.metrics(scenarioResultIds: [try #require(result.id)])
            let twinned = rows.filter { $0.floorBefore != nil }
            #expect(rows.filter { $0.placement == nil }.allSatisfy { $0.floorBefore == nil }, "a figure that is not between containers has no twin")
            switch result.scenario {
            case "localhost-tcp", "localhost-udp-open-loop":
                #expect(!twinned.isEmpty && twinned.allSatisfy { $0.placement != nil && $0.unit == "ns" && $0.floorAfter == nil && $0.floorP50 != nil }, "one twin, which took turns")
            case "volume-mmap":
                #expect(!twinned.isEmpty && twinned.allSatisfy { $0.floorAfter != nil && $0.floorP50 != nil }, "a twin before and one after")
            default:
                #expect(twinned.isEmpty)
            }
        }
    }
}
