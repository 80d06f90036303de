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
