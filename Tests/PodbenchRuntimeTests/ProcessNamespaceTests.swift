import Foundation
import PodbenchCore
import PodbenchTestSupport
import Testing

@Suite struct ProcessNamespaceTests {
    @Test(arguments: ["shared-process-namespace", "separate-process-namespaces"])
    func theProcessNamespaceScenariosPass(_ name: String) async throws {
        try await expectRepositoryScenarioPasses(name)
    }

    /// Each expectation fails with the sharing setting reversed.
    @Test(arguments: [(true, "isolated"), (false, "shared")])
    func theCheckFailsWhenTheSettingIsReversed(_ share: Bool, _ expectation: String) async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: reversed
            description: The opposite of what the pod does.
            pod:
              name: p
              shareProcessNamespace: \(share)
              volumes: [{name: sync, emptyDir: {}}]
              containers:
                - {name: a, probe: process-peer, args: {tag: a, peer: b, sync: /sync, expect: \(expectation), wait: 1s, hold: 1500ms}, volumeMounts: [{name: sync, mountPath: /sync}]}
                - {name: b, probe: process-peer, args: {tag: b, peer: a, sync: /sync, expect: \(expectation), wait: 1s, hold: 1500ms}, volumeMounts: [{name: sync, mountPath: /sync}]}
            expect:
              - {check: pid.namespace, level: MUST}
            """))
        #expect(result.status == .fail)
        #expect(result.checks.filter { $0.name == "pid.namespace" }.allSatisfy { $0.failed })
        try runtime.expectNothingLeft()
    }

    /// A container in a PID namespace of its own sees none of the host's processes either.
    @Test func aContainerDoesNotSeeTheHostsProcesses() async throws {
        let runtime = try IsolatedRuntime()
        let marker = "host-\(UUID().uuidString.prefix(6).lowercased())"
        // A host process whose command line holds "--tag MARKER", as a peer probe's does: a
        // probe run directly on the host, waiting until it is stopped. It outlives any delay:
        // with the suite's other tests on two cores, this task may resume a minute after its
        // sleep, by when a sleeper of 30 s would be gone.
        let sleeper = try spawn(probePath, ["process-peer", "--tag", marker, "--peer", "none", "--wait", "600s", "--hold", "600s"])
        defer { stop(sleeper) }
        let started = try await eventually(within: .seconds(20)) { !pids(mentioning: "--tag \(marker)").isEmpty }
        #expect(started)
        let result = await runtime.run(try scenario("""
            name: host
            description: Looking for a host process.
            pod:
              name: p
              containers:
                - {name: a, probe: process-peer, args: {tag: a, peer: \(marker), expect: isolated, wait: 500ms, hold: 500ms}}
            expect:
              - {check: pid.namespace, level: MUST}
            """))
        #expect(result.status == .pass)
        #expect(result.checks.first { $0.name == "pid.namespace" }?.message.contains("sees 0 processes") == true)
        try runtime.expectNothingLeft()
    }
}
