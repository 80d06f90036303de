import Foundation
import PodbenchCore
import PodbenchProbeInterface
import Testing

/// Diagnoses built from evidence (issue 27): a failure is told with what namespace identities
/// proved, charged to the container that should have reported it, with signals named.
@Suite struct DiagnosisTests {
    func encoded(_ record: ProbeRecord) -> String {
        String(decoding: try! JSONEncoder().encode(record), as: UTF8.self)
    }

    let queue = try! ScenarioLoader.parse("""
        name: queue
        description: A System V queue.
        pod:
          name: p
          containers:
            - {name: producer, probe: sysv-producer}
            - {name: consumer, probe: sysv-consumer}
        expect:
          - {check: sysv.round-trip, level: MUST}
        """, file: "queue.yaml")

    /// The producer's failure of a channel through the pod's IPC namespace, with each
    /// container's identity (`ipc` as given for the consumer).
    func judgeQueue(consumerIPC: String?, pods: Bool = true) -> CheckResult? {
        var consumer = VerdictTests.identity(pod: 1, container: 2)
        if let consumerIPC { consumer = VerdictTests.identity(pod: 1, container: 2, changing: ["ipc": consumerIPC]) } else {
            consumer = NamespaceIdentity(namespaces: [:], kernel: nil, unidentified: ["ipc": "no namespace inodes here"], release: "4.4.0")
        }
        let failure = encoded(.check(.sysvRoundTrip, ok: false, "no consumer opened queue 0x4d43 within 20s", through: .ipc))
        let result = Judge.judge(queue, outcomes: [
            ContainerOutcome(pod: "p", container: "producer", ending: .exited(1), standardOutput: (VerdictTests.lifetime(consumerIPC == nil ? consumer : VerdictTests.identity(pod: 1, container: 1)) + [failure]).joined(separator: "\n") + "\n", standardError: ""),
            ContainerOutcome(pod: "p", container: "consumer", ending: .exited(0), standardOutput: VerdictTests.lifetime(consumer).joined(separator: "\n") + "\n", standardError: ""),
        ], host: VerdictTests.host, pods: pods, startedAt: Date(), duration: 1)
        return result.checks.first { $0.name == "sysv.round-trip" }
    }

    /// Finding 1: where the identities prove the IPC namespace shared, the failure says so and
    /// never asks; where they prove it not, it says that; where there are none, it asks, and
    /// says why identity cannot tell.
    @Test func aChannelsFailureSaysWhatIdentityProvedOfItsSharing() throws {
        let proven = try #require(judgeQueue(consumerIPC: "4:102"))
        #expect(proven.message == "no consumer opened queue 0x4d43 within 20s; the pod's IPC namespace is shared (namespace.ipc: one identity for its containers), so the sharing is not the cause")
        #expect(!proven.message.contains("?"))
        let split = try #require(judgeQueue(consumerIPC: "4:999"))
        #expect(split.message.hasSuffix("; the pod's IPC namespace is not shared (namespace.ipc failed)"), "\(split.message)")
        let unknown = try #require(judgeQueue(consumerIPC: nil))
        #expect(unknown.message.hasPrefix("no consumer opened queue 0x4d43 within 20s: is the pod's IPC namespace shared? Its identity cannot tell here (p/producer has no ipc namespace identity: no namespace inodes here"), "\(unknown.message)")
        // Plain processes share the host's namespaces: nothing to say of a pod's.
        #expect(judgeQueue(consumerIPC: "4:102", pods: false)?.message == "no consumer opened queue 0x4d43 within 20s")
    }

    /// Finding 5: a check is charged to the container whose role and arguments report it, not
    /// to another container of the same role.
    @Test func aMissingCheckIsChargedToTheContainerThatReportsIt() throws {
        let locks = try ScenarioLoader.parse("""
            name: locks
            description: Two contenders.
            pod:
              name: p
              volumes: [{name: shared, emptyDir: {}}]
              containers:
                - {name: holder, probe: lock-holder, args: {path: /v/f}, volumeMounts: [{name: shared, mountPath: /v}]}
                - {name: flock-contender, probe: lock-contender, args: {path: /v/f}, volumeMounts: [{name: shared, mountPath: /v}]}
                - {name: fcntl-contender, probe: lock-contender, args: {path: /v/g, lock: fcntl}, volumeMounts: [{name: shared, mountPath: /v}]}
            expect:
              - {check: volume.flock, level: MUST}
              - {check: volume.fcntl-lock, level: MUST}
            """, file: "locks.yaml")
        let result = Judge.judge(locks, outcomes: [
            ContainerOutcome(pod: "p", container: "holder", ending: .exited(0), standardOutput: "", standardError: ""),
            ContainerOutcome(pod: "p", container: "flock-contender", ending: .exited(0), standardOutput: encoded(.check(.volumeFlock, ok: true, "refused")) + "\n", standardError: ""),
            ContainerOutcome(pod: "p", container: "fcntl-contender", ending: .signaled(7), standardOutput: "", standardError: ""),
        ], startedAt: Date(), duration: 1)
        let flock = result.checks.filter { $0.name == "volume.flock" }
        #expect(flock.count == 1 && flock[0].passed, "\(flock)")
        let fcntl = try #require(result.checks.first { $0.name == "volume.fcntl-lock" })
        #expect(fcntl.source == "p/fcntl-contender")
        #expect(fcntl.message == "not reported by p/fcntl-contender, which was killed by signal 7 (SIGBUS: a bus error: memory mapped from a file that could not be backed, /dev/shm or the volume full?)")
    }

    /// Finding 6: without shareProcessNamespace, two containers of a pod in one PID namespace
    /// fail `namespace.pid`, though neither is the host's.
    @Test func containersInOnePIDNamespaceTheyDidNotAskForFail() throws {
        let pair = try ScenarioLoader.parse("""
            name: pair
            description: Two containers, each its own PID namespace.
            pod:
              name: a
              containers:
                - {name: one, probe: hostname, args: {name: a}}
                - {name: two, probe: hostname, args: {name: a}}
            expect:
              - {check: uts.hostname, level: MUST}
            """, file: "pair.yaml")
        func judge(_ second: NamespaceIdentity) -> CheckResult? {
            Judge.judge(pair, outcomes: [
                ContainerOutcome(pod: "a", container: "one", ending: .exited(0), standardOutput: VerdictTests.lifetime(VerdictTests.identity(pod: 1, container: 1)).joined(separator: "\n") + "\n", standardError: ""),
                ContainerOutcome(pod: "a", container: "two", ending: .exited(0), standardOutput: VerdictTests.lifetime(second).joined(separator: "\n") + "\n", standardError: ""),
            ], host: VerdictTests.host, startedAt: Date(), duration: 1).checks.first { $0.name == "namespace.pid" }
        }
        let shared = try #require(judge(VerdictTests.identity(pod: 1, container: 2, changing: ["pid": "4:114"])))
        #expect(shared.outcome == .fail)
        #expect(shared.message == "a/one and a/two are in one pid namespace (4:114) although the pod does not ask for shareProcessNamespace")
        let own = try #require(judge(VerdictTests.identity(pod: 1, container: 2)))
        #expect(own.outcome == .pass)
        #expect(own.message == "a's 2 containers each in a pid namespace of their own, no two alike; none is the host's")
    }

    /// Finding 8: a client and a server that meet on a channel but were given different
    /// message sizes are refused at validation, pointed at the client's value (once a 30 s
    /// deadlock blamed on the server); a client of another port is not its pair.
    @Test func aPairThatDisagreesOnItsMessageSizeIsRefusedWhereItIsWritten() throws {
        let text = """
            name: mismatch
            description: A client with a size its server does not have.
            pod:
              name: p
              containers:
                - {name: server, probe: echo-server}
                - {name: client, probe: echo-client, args: {size: 65000}}
                - {name: elsewhere, probe: echo-client, args: {size: 128, port: 5300}}
                - {name: queue-server, probe: ipc-server, args: {channel: sysv-msg, key: 7, size: 0x40}}
                - {name: queue-client, probe: ipc-client, args: {channel: sysv-msg, key: 7, size: 64}}
            expect:
              - {check: tcp.round-trip, level: MUST}
            """
        let errors = try #require(throws: ScenarioErrors.self) { try ScenarioLoader.parse(text, file: "mismatch.yaml") }.errors
        #expect(errors == [ScenarioError(file: "mismatch.yaml", line: 7, column: 55, message: "args.size 65000 of echo-client 'p/client' differs from 64 (its default) of its echo-server 'p/server', which it meets on the same channel; give both the same size")])
    }

    /// Finding 3: a client that waited for a server which failed on its own (a queue the
    /// kernel's limits refuse) is not judged, with the server's reason; the server's own check
    /// fails with it, and a client stopped at its deadline is not blamed either.
    @Test func aClientWhoseServerFailedFirstIsNotJudgedWithTheServersReason() throws {
        let queues = try ScenarioLoader.parse("""
            name: queues
            description: Two POSIX queue pairs.
            pod:
              name: p
              containers:
                - {name: server, probe: ipc-server, args: {channel: posix-mq, key: 1}}
                - {name: client, probe: ipc-client, args: {channel: posix-mq, key: 1}}
                - {name: server-4k, probe: ipc-server, args: {channel: posix-mq, key: 2, size: 4096}}
                - {name: client-4k, probe: ipc-client, args: {channel: posix-mq, key: 2, size: 4096}}
            expect:
              - {check: posix-mq.reachable, level: MUST}
              - {check: posix-mq.round-trip, level: MUST}
              - {check: posix-mq.served, level: MUST}
            """, file: "queues.yaml")
        let refused = "mq_open /podbench-1-ping with room for 8 messages of 64 bytes: Invalid argument (EINVAL) (fs.mqueue.msg_max is 1 and msgsize_max 128 here)"
        let result = Judge.judge(queues, outcomes: [
            ContainerOutcome(pod: "p", container: "server", ending: .exited(3), standardOutput: encoded(.error(refused)) + "\n", standardError: ""),
            ContainerOutcome(pod: "p", container: "client", ending: .exited(1), standardOutput: encoded({ var r = ProbeRecord.check(CheckName("posix-mq.reachable"), ok: false, "no posix-mq channel at /podbench-1 appeared within 20s", through: .ipc); r.awaited = true; return r }()) + "\n", standardError: ""),
            ContainerOutcome(pod: "p", container: "server-4k", ending: .exited(3), standardOutput: encoded(.error("mq_open /podbench-2-ping: EINVAL")) + "\n", standardError: ""),
            ContainerOutcome(pod: "p", container: "client-4k", ending: .exited(124), standardOutput: encoded(.error("ipc-client passed its deadline of 30s, the scenario's timeout")) + "\n", standardError: ""),
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .fail)
        let reachable = try #require(result.checks.first { $0.name == "posix-mq.reachable" && $0.source == "p/client" })
        #expect(reachable.outcome == .inconclusive)
        #expect(reachable.message.hasPrefix("not judged: the partner it meets on this channel failed first: p/server exited 3: \(refused) (no posix-mq channel"), "\(reachable.message)")
        let served = result.checks.filter { $0.name == "posix-mq.served" }
        #expect(served.count == 2 && served.allSatisfy { $0.failed }, "\(served)")
        #expect(served.first { $0.source == "p/server" }?.message == "not reported by p/server, which exited 3: \(refused)")
        for check in result.checks where check.source == "p/client-4k" || (check.source == "p/client" && check.name != "posix-mq.reachable") {
            #expect(check.outcome == .inconclusive, "\(check)")
            #expect(check.message.hasPrefix("not judged: the partner it meets on this channel failed first: p/server"), "\(check.message)")
        }
        #expect(!result.checks.contains { $0.message.contains("raise timeout") })
    }
}
