import Foundation
import PodbenchCore
import Testing

/// Failures that used to be swallowed (issue 27, finding 2), each made on the local runtime
/// with a volume mounted read-only where the probe needs to write: the message names the
/// call, its errno and the path, never "not there" nor a question about sharing.
@Suite struct DiagnosisScenarioTests {
    /// The mmap client opens the server's file read-write: EROFS, named, not a hard-coded ENOENT.
    @Test func aMappingThatCannotBeOpenedNamesItsErrno() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: mmap-read-only
            description: The client's mount of the shared volume is read-only.
            timeout: 20s
            pod:
              name: p
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: server, probe: mmap-pingpong, args: {path: /a/words, side: server, wait: 2s}, volumeMounts: [{name: v, mountPath: /a}]}
                - {name: client, probe: mmap-pingpong, args: {path: /b/words, side: client, wait: 2s}, volumeMounts: [{name: v, mountPath: /b, readOnly: true}]}
            expect:
              - {check: volume.mmap-shared, level: MUST}
            """))
        #expect(result.status == .fail)
        let client = try #require(result.checks.first { $0.name == "volume.mmap-shared" && $0.source == "p/client" })
        #expect(client.message.contains("open /b/words: Read-only file system (EROFS)"), "\(client.message)")
        try runtime.expectNothingLeft()
    }

    /// A datagram client whose reply socket cannot be bound says so, not "last no attempt".
    @Test func aReplySocketThatCannotBeBoundNamesItsErrno() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: unixgram-read-only
            description: The client cannot bind its reply socket on a read-only mount.
            timeout: 20s
            pod:
              name: p
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: s, probe: echo-server, args: {transport: unixgram, path: /v/s.sock, wait: 2s}, volumeMounts: [{name: v, mountPath: /v}]}
                - {name: c, probe: echo-client, args: {transport: unixgram, path: /v/s.sock, wait: 1s}, volumeMounts: [{name: v, mountPath: /v, readOnly: true}]}
            expect:
              - {check: unixgram.reachable, level: MUST}
            """))
        #expect(result.status == .fail)
        let reachable = try #require(result.checks.first { $0.name == "unixgram.reachable" })
        #expect(reachable.message.contains("(last bind /v/s.sock.reply, its own address for the replies: Read-only file system (EROFS))"), "\(reachable.message)")
        try runtime.expectNothingLeft()
    }

    /// A process peer that cannot leave its marker on the rendezvous volume says why, and the
    /// PID check is not judged (the rendezvous failed, not the PID namespace).
    @Test func aRendezvousThatCannotBeWrittenNamesItsErrno() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: sync-read-only
            description: One peer's mount of the rendezvous volume is read-only.
            timeout: 20s
            pod:
              name: p
              shareProcessNamespace: true
              volumes: [{name: sync, emptyDir: {}}]
              containers:
                - {name: first, probe: process-peer, args: {tag: first, peer: second, sync: /sync, meet: 2s}, volumeMounts: [{name: sync, mountPath: /sync, readOnly: true}]}
                - {name: second, probe: process-peer, args: {tag: second, peer: first, sync: /sync, meet: 2s}, volumeMounts: [{name: sync, mountPath: /sync}]}
            expect:
              - {check: pid.namespace, level: MUST}
            """))
        let first = try #require(result.checks.first { $0.name == "pid.namespace" && $0.source == "p/first" })
        #expect(first.inconclusive)
        #expect(first.message == "not judged: the rendezvous on /sync failed: create /sync/first: Read-only file system (EROFS)")
        try runtime.expectNothingLeft()
    }
}
