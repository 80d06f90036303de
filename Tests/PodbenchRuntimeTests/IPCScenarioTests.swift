import Foundation
import PodbenchCore
import PodbenchTestSupport
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
                - {name: s, probe: ipc-server, args: {channel: posix-mq, expect: isolated, wait: 10s}}
                - {name: c, probe: ipc-client, args: {channel: posix-mq, expect: isolated, wait: 10s}}
            expect:
              - {check: posix-mq.isolated, level: MUST}
            """))
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "posix-mq.isolated" }?.failed == true)
        try runtime.expectNothingLeft()
    }
}

@Suite struct PeerFailureTests {
    /// A client whose server dies mid-exchange reports its round-trip check failed, and why,
    /// when its deadline comes, rather than only that time ran out.
    @Test func aClientWhoseServerDiesSaysSo() async throws {
        let runtime = try IsolatedRuntime()
        let run = Task { await runtime.run(try scenario("""
            name: dying-server
            description: A server killed during the ping-pong.
            timeout: 4s
            pod:
              name: p
              containers:
                - {name: s, probe: ipc-server, args: {channel: posix-mq}}
                - {name: c, probe: ipc-client, args: {channel: posix-mq, rounds: 10000000}}
            expect:
              - {check: posix-mq.round-trip, level: MUST}
            """)) }
        // The server runs once it is two processes: the container, which first waits for its
        // pod, and its child in the container's PID namespace, which runs the probe. Looked
        // for within the scenario's timeout: on a loaded machine the pod may be gone first,
        // which the end of this test allows for.
        var servers: [Int32] = []
        _ = try await eventually(within: .seconds(3)) {
            servers = pids(mentioning: runtime.base).filter { commandLine(of: $0).contains("ipc-server") }
            return servers.count >= 2
        }
        try await Task.sleep(for: .milliseconds(300))
        for pid in servers { kill(pid, SIGKILL) }
        let result = try await run.value
        let roundTrip = try #require(result.checks.first { $0.name == "posix-mq.round-trip" })
        let completed = try #require(result.checks.first { $0.name == "pod.completed" })
        if completed.message.contains("p/s was killed by signal 9") {
            // The server crashed: why the client waited until its deadline, mid-exchange or,
            // on a loaded machine, before it answered the greeting or even made its channel;
            // then the round trips the client never began are not judged, for the server's death.
            if roundTrip.inconclusive {
                #expect(roundTrip.message.hasPrefix("not judged: the partner it meets on this channel failed first: p/s was killed by signal 9"), "\(roundTrip.message)")
                if let reachable = result.checks.first(where: { $0.name == "posix-mq.reachable" }), reachable.failed {
                    #expect(reachable.message.contains("the server did not answer the greeting"), "\(reachable.message)")
                }
                #expect(result.status == .error)
            } else {
                #expect(roundTrip.failed && roundTrip.message.contains("the server stopped answering"), "\(roundTrip.message)")
                #expect(result.status == .fail)
            }
        } else {
            // On a loaded machine the kill may land only after the 4 s timeout ended the
            // scenario (the server stopped at its own deadline, or was stopped by the runtime
            // at the scenario's): then it timed out, unjudged.
            #expect(completed.message.hasPrefix("timed out"), "\(completed.message)")
            #expect(completed.message.contains("p/s exited 124")
                || completed.message.contains("p/s was stopped at the scenario's timeout"), "\(completed.message)")
            #expect(result.status == .error && roundTrip.outcome == .inconclusive)
        }
        try runtime.expectNothingLeft()
    }
}
