import PodbenchCore
import Testing

/// An echo client's `peer-pod`: which pod it names, the order pods start in, and what a scenario
/// may not say.
@Suite struct PeerPodTests {
    /// Two pods, the client's naming `peer`; `extra` is added to the client's args.
    static func scenario(peer: String, clientFirst: Bool = false, extra: String = "") -> String {
        let server = "  - name: server\n    containers: [{name: s, probe: echo-server, args: {transport: tcp, listen: pod}}]"
        let client = "  - name: client\n    containers: [{name: c, probe: echo-client, args: {transport: tcp, peer-pod: \(peer)\(extra)}}]"
        return """
            name: peers
            description: Two pods.
            pods:
            \(clientFirst ? client : server)
            \(clientFirst ? server : client)
            expect: [{check: tcp.reachable, level: MUST}]
            """
    }

    static func problems(_ text: String) -> [String] {
        do {
            _ = try ScenarioLoader.parse(text, file: "peers.yaml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aClientThatNamesAnEarlierPodStartsAfterIt() throws {
        let scenario = try ScenarioLoader.parse(Self.scenario(peer: "server"), file: "peers.yaml")
        #expect(scenario.reachesPodAddresses)
        #expect(scenario.addressedPods == ["server"])
        #expect(scenario.startGroups.map { $0.map(\.name) } == [["server"], ["client"]])
    }

    @Test func podsWithoutPeersStartTogether() throws {
        let scenario = try ScenarioLoader.parse("""
            name: two
            description: Two pods.
            pods:
              - name: a
                containers: [{name: c, probe: process-peer, args: {tag: x, peer: y}}]
              - name: b
                containers: [{name: c, probe: sysv-consumer}]
            expect: [{check: pod.completed, level: MUST}]
            """, file: "two.yaml")
        // process-peer's `peer` is a tag, not a pod.
        #expect(!scenario.reachesPodAddresses)
        #expect(scenario.startGroups.map { $0.map(\.name) } == [["a", "b"]])
    }

    @Test(arguments: [
        (peer: "client", clientFirst: false, extra: "", words: ["peers.yaml:7:81:", "args.peer-pod 'client' is this container's own pod"]),
        (peer: "server", clientFirst: true, extra: "", words: ["peers.yaml:5:81:", "'server' is listed after pod 'client'", "list the peer's pod first"]),
        (peer: "srever", clientFirst: false, extra: "", words: ["peers.yaml:7:81:", "no pod named 'srever'", "did you mean 'server'?", "pods: server, client"]),
        (peer: "server", clientFirst: false, extra: ", peer-address: 10.0.0.1", words: ["peers.yaml:7:89:", "args.peer-address is given by the runtime, not by the scenario"]),
    ])
    func aPeerThatCannotBeReachedIsAnError(_ peer: String, _ clientFirst: Bool, _ extra: String, _ words: [String]) {
        let found = Self.problems(Self.scenario(peer: peer, clientFirst: clientFirst, extra: extra))
        #expect(found.contains { message in words.allSatisfy(message.contains) }, "\(found)")
    }
}
