import Foundation
import PodbenchCore
import Testing

@Suite struct IPCScenarioTests {
    @Test(arguments: ["ipc-sysv-msg", "ipc-posix-mq", "ipc-sysv-shm", "ipc-posix-shm", "pod-isolation-ipc"])
    func theIPCScenariosPass(_ name: String) async throws {
        try await expectRepositoryScenarioPasses(name)
    }

    /// Each channel with the sharing taken away: server and client in two pods.
    @Test(arguments: ["sysv-msg", "posix-mq", "sysv-shm", "posix-shm"])
    func aChannelIsNotReachableFromAnotherPod(_ channel: String) async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: split-\(channel)
            description: Server and client of one channel in two pods.
            timeout: 20s
            pods:
              - name: first
                containers: [{name: s, probe: ipc-server, args: {channel: \(channel), wait: 1s}}]
              - name: second
                containers: [{name: c, probe: ipc-client, args: {channel: \(channel), wait: 1s}}]
            expect:
              - {check: \(channel).reachable, level: MUST}
            """))
        #expect(result.status == .fail)
        let reachable = try #require(result.checks.first { $0.name == "\(channel).reachable" })
        #expect(reachable.failed)
        #expect(reachable.message.contains("no \(channel) channel"))
        try runtime.expectNothingLeft()
    }

    /// And isolation expected of one pod fails.
    @Test func isolationExpectedWithinOnePodFails() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: one-pod
            description: Isolation expected of containers of one pod.
            timeout: 20s
            pod:
              name: one
              containers:
                - {name: s, probe: ipc-server, args: {channel: posix-mq, expect: isolated, wait: 2s}}
                - {name: c, probe: ipc-client, args: {channel: posix-mq, expect: isolated, wait: 2s}}
            expect:
              - {check: posix-mq.isolated, level: MUST}
            """))
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "posix-mq.isolated" }?.failed == true)
        try runtime.expectNothingLeft()
    }
}
