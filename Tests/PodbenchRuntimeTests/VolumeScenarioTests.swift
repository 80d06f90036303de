import Foundation
import PodbenchCore
import Testing

@Suite struct VolumeScenarioTests {
    @Test(arguments: ["volume-medium", "volume-locks", "volume-rename", "volume-large-file", "volume-inotify", "volume-unix-socket", "pod-isolation-volume"])
    func theVolumeScenariosPass(_ name: String) async throws {
        try await expectRepositoryScenarioPasses(name)
    }

    @Test func aWriterThatRewritesInPlaceIsCaughtHalfWritten() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: in-place
            description: Publishing without rename.
            timeout: 60s
            pod:
              name: p
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: w, probe: file-publisher, args: {path: /v/f, count: 100, size: 262144, interval: 1ms, publish: in-place}, volumeMounts: [{name: v, mountPath: /v}]}
                - {name: r, probe: file-watcher, args: {path: /v/f, count: 100, size: 262144}, volumeMounts: [{name: v, mountPath: /v}]}
            expect:
              - {check: volume.rename-atomic, level: MUST}
            """))
        #expect(result.status == .fail)
        let atomic = try #require(result.checks.first { $0.name == "volume.rename-atomic" })
        #expect(atomic.failed && atomic.message.contains("found a half-written file"))
        try runtime.expectNothingLeft()
    }

    /// A lock cannot be honoured across volumes that are not shared.
    @Test(arguments: ["flock", "fcntl"])
    func aLockOnAnotherVolumeIsNotSeen(_ lock: String) async throws {
        let runtime = try IsolatedRuntime()
        let check = lock == "flock" ? "volume.flock" : "volume.fcntl-lock"
        let result = await runtime.run(try scenario("""
            name: split-locks
            description: Holder and contender on volumes of their own.
            timeout: 20s
            pod:
              name: p
              volumes: [{name: a, emptyDir: {}}, {name: b, emptyDir: {}}]
              containers:
                - {name: h, probe: lock-holder, args: {path: /v/l, lock: \(lock), hold: 1500ms}, volumeMounts: [{name: a, mountPath: /v}]}
                - {name: c, probe: lock-contender, args: {path: /v/l, lock: \(lock), wait: 1s}, volumeMounts: [{name: b, mountPath: /v}]}
            expect:
              - {check: \(check), level: MUST}
            """))
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == check }?.failed == true)
        try runtime.expectNothingLeft()
    }

    @Test(arguments: ["unix", "unixgram"])
    func aUnixSocketOnAnotherVolumeIsNotReached(_ transport: String) async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: split-socket
            description: Server and client of a Unix socket on volumes of their own.
            timeout: 20s
            pod:
              name: p
              volumes: [{name: a, emptyDir: {}}, {name: b, emptyDir: {}}]
              containers:
                - {name: s, probe: echo-server, args: {transport: \(transport), path: /v/s.sock, wait: 1s}, volumeMounts: [{name: a, mountPath: /v}]}
                - {name: c, probe: echo-client, args: {transport: \(transport), path: /v/s.sock, wait: 1s}, volumeMounts: [{name: b, mountPath: /v}]}
            expect:
              - {check: \(transport).reachable, level: MUST}
            """))
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "\(transport).reachable" }?.message.contains("is the volume one for the pod's containers?") == true)
        try runtime.expectNothingLeft()
    }

    @Test func aMappingOfAnotherVolumesFileCarriesNothing() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: split-mmap
            description: Both sides map a file of the same name on volumes of their own.
            timeout: 20s
            pod:
              name: p
              volumes: [{name: a, emptyDir: {}}, {name: b, emptyDir: {}}]
              containers:
                - {name: s, probe: mmap-pingpong, args: {path: /v/words, side: server, wait: 1s}, volumeMounts: [{name: a, mountPath: /v}]}
                - {name: c, probe: mmap-pingpong, args: {path: /v/words, side: client, wait: 1s}, volumeMounts: [{name: b, mountPath: /v}]}
            expect:
              - {check: volume.mmap-shared, level: MUST}
            """))
        #expect(result.status == .fail)
        #expect(result.checks.contains { $0.name == "volume.mmap-shared" && $0.failed })
        try runtime.expectNothingLeft()
    }

    @Test func volumeIsolationFailsWhereTheVolumeIsShared() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: one-volume
            description: Isolation expected of two containers on one volume.
            timeout: 20s
            pod:
              name: p
              volumes: [{name: data, emptyDir: {}}]
              containers:
                - {name: w, probe: volume-writer, args: {path: /data/log, count: 3, interval: 1ms, wait: 10s, expect: isolated}, volumeMounts: [{name: data, mountPath: /data}]}
                - {name: r, probe: volume-reader, args: {path: /data/log, count: 3, wait: 10s, expect: isolated}, volumeMounts: [{name: data, mountPath: /data}]}
            expect:
              - {check: volume.isolated, level: MUST}
            """))
        #expect(result.status == .fail)
        #expect(result.checks.filter { $0.name == "volume.isolated" }.count == 2)
        #expect(result.checks.filter { $0.name == "volume.isolated" }.allSatisfy { $0.failed })
        try runtime.expectNothingLeft()
    }

    @Test func aDiskVolumeIsNotTmpfs() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: wrong-medium
            description: A disk volume held to be memory.
            pod:
              name: p
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: c, probe: volume-medium, args: {path: /v, medium: memory}, volumeMounts: [{name: v, mountPath: /v}]}
            expect:
              - {check: volume.medium, level: MUST}
            """))
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "volume.medium" }?.message.contains("not tmpfs as medium Memory requires") == true)
        try runtime.expectNothingLeft()
    }
}
