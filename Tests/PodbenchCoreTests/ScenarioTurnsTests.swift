import Foundation
import PodbenchCore
import PodbenchProbeInterface
import Testing

/// Which scenarios' measurements can take turns with a host twin's (`run --calibrate`), and the
/// turns given to their clients only.
@Suite struct ScenarioTurnsTests {
    static let scenarios = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appending(path: "Scenarios").path

    @Test func theMeasuringScenariosWhoseClientsTimeTheirExchangesTakeTurns() throws {
        let measuring = try ScenarioLoader.load(paths: [Self.scenarios]).filter(\.measures)
        let taking = measuring.filter(\.takesTurns).map(\.name)
        let notTaking = measuring.filter { !$0.takesTurns }.map(\.name)
        #expect(Set(taking).isSuperset(of: ["localhost-tcp", "localhost-udp", "localhost-udp-open-loop", "ipc-posix-mq", "ipc-sysv-msg", "ipc-sysv-shm", "abstract-socket", "pod-to-pod-tcp"]), "\(taking)")
        // mmap-pingpong's server spins, bulk transfers and volume writers have no exchange to hold back.
        #expect(Set(notTaking).isSuperset(of: ["volume-mmap", "localhost-throughput"]), "\(notTaking)")
    }

    @Test func anOpenLoopTurnsWithEachRequestAndAClosedLoopEveryRotation() throws {
        let bundled = try ScenarioLoader.load(paths: [Self.scenarios])
        let closedLoop: UInt64 = 2_000_000
        func rotation(_ name: String, rate: String? = nil) throws -> UInt64 {
            var scenario = try #require(bundled.first { $0.name == name })
            if let rate {
                for pod in scenario.pods.indices {
                    for container in scenario.pods[pod].containers.indices {
                        scenario.pods[pod].containers[container].args = scenario.pods[pod].containers[container].args.map { ($0.name, $0.name == OpenLoop.rate.spec.name ? rate : $0.value) }
                    }
                }
            }
            return scenario.turnRotation(closedLoop: closedLoop)
        }
        // 5,000/s: a request every 200 us, the pod's in the first 100 us, its twin's in the next.
        #expect(try rotation("localhost-tcp-open-loop") == 200_000)
        #expect(try rotation("ipc-sysv-shm-open-loop") == 200_000)
        #expect(try rotation("localhost-udp-open-loop", rate: "100/s") == 10_000_000)
        // 20,000/s would halve into turns of 25 us, shorter than a probe takes: the closed loops'.
        #expect(try rotation("localhost-udp-open-loop", rate: "20000/s") == closedLoop)
        #expect(try rotation("localhost-tcp") == closedLoop)
        #expect(try rotation("ipc-posix-mq") == closedLoop)
    }

    @Test func aThroughputIsNoLatencyForATwinToCalibrate() throws {
        let bundled = try ScenarioLoader.load(paths: [Self.scenarios])
        let latency = Dictionary(uniqueKeysWithValues: bundled.filter(\.measures).map { ($0.name, $0.measuresLatency) })
        #expect(latency["localhost-throughput"] == false)
        #expect(latency["localhost-tcp"] == true && latency["volume-mmap"] == true && latency["shared-volume"] == true)
        let waiting = bundled.filter { !$0.measures }
        #expect(!waiting.isEmpty && waiting.allSatisfy { !$0.measuresLatency }, "a scenario that only waits measures nothing")
    }

    @Test func onlyTheClientsAreGivenTheirTurn() throws {
        let scenario = try #require(try ScenarioLoader.load(paths: [Self.scenarios]).first { $0.name == "localhost-tcp" })
        let turns = Turns(offset: 4_000_000, length: 1_000_000, period: 5_000_000, epoch: 42)
        let given = scenario.taking(turns).taking(turns).pods.flatMap(\.containers).map { container in
            (container.probe, container.args.filter { $0.name == Turns.parameter.spec.name }.map(\.value))
        }
        #expect(given.map(\.0) == ["echo-server", "echo-client"])
        #expect(given.map(\.1) == [[], [turns.description]], "the client once, however often given; the server answers")
    }
}
