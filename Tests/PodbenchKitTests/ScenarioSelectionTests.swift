import PodbenchCore
@testable import PodbenchKit
import Testing

/// Scenarios chosen by name and by tag, and what a mistyped name or tag is told.
@Suite struct ScenarioSelectionTests {
    static func scenario(_ name: String, _ tags: [String]) -> Scenario {
        Scenario(name: name, description: name, tags: tags, timeout: 30_000_000_000, pods: [], expectations: [], file: name + ".yaml")
    }

    let scenarios = [
        scenario("localhost-tcp", ["network", "tcp"]),
        scenario("localhost-udp-open-loop", ["network", "udp", "open-loop"]),
        scenario("ipc-sysv-msg", ["ipc", "sysv"]),
        scenario("pod-isolation-ipc", ["isolation", "ipc"]),
    ]

    func names(_ selected: [Scenario]) -> [String] { selected.map(\.name) }

    @Test func aTagKeepsTheScenariosThatHaveItAndASkippedTagLeavesThemOut() throws {
        #expect(names(try ScenarioCatalog.select([], tagged: TagSelection(tags: ["ipc"]), from: scenarios)) == ["ipc-sysv-msg", "pod-isolation-ipc"])
        #expect(names(try ScenarioCatalog.select(["all"], tagged: TagSelection(tags: ["ipc", "tcp"], skipped: ["isolation"]), from: scenarios))
                == ["localhost-tcp", "ipc-sysv-msg"])
        #expect(names(try ScenarioCatalog.select(["all"], tagged: TagSelection(skipped: ["open-loop"]), from: scenarios))
                == ["localhost-tcp", "ipc-sysv-msg", "pod-isolation-ipc"])
        // Names first, then tags among them.
        #expect(names(try ScenarioCatalog.select(["localhost-tcp", "ipc-sysv-msg"], tagged: TagSelection(tags: ["network"]), from: scenarios)) == ["localhost-tcp"])
    }

    @Test func aMistypedNameIsToldTheNearestOne() {
        #expect {
            try ScenarioCatalog.select(["localhost-tpc"], from: scenarios)
        } throws: { error in
            "\(error)" == "no scenario named 'localhost-tpc' (did you mean 'localhost-tcp'?); known: localhost-tcp, localhost-udp-open-loop, ipc-sysv-msg, pod-isolation-ipc (or 'all')"
        }
        // Nothing is near: no guess.
        #expect {
            try ScenarioCatalog.select(["disk-speed"], from: scenarios)
        } throws: { error in
            "\(error)".hasPrefix("no scenario named 'disk-speed'; known: ")
        }
    }

    @Test func aMistypedTagIsToldTheNearestOneAndTheTagsThatExist() {
        #expect {
            try ScenarioCatalog.select([], tagged: TagSelection(tags: ["icp"]), from: scenarios)
        } throws: { error in
            "\(error)" == "no scenario tagged 'icp' (did you mean 'ipc'?); tags: network, tcp, udp, open-loop, ipc, sysv, isolation"
        }
    }

    @Test func tagsThatLeaveNothingAreAnErrorNotAnEmptyRun() {
        #expect {
            try ScenarioCatalog.select(["localhost-tcp"], tagged: TagSelection(tags: ["ipc"]), from: scenarios)
        } throws: { error in
            "\(error)" == "--tag ipc leave none of the scenarios named"
        }
    }
}
