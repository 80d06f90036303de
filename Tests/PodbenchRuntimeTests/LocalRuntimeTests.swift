import Foundation
import PodbenchCore
import PodbenchRuntime
import PodbenchSystem
import PodbenchTestSupport
import Synchronization
import Testing

/// The built `podbench-probe`, beside the test bundle in the build directory.
let probePath = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
    .deletingLastPathComponent().appendingPathComponent("podbench-probe").path
let repositoryScenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scenarios").standardized.path

/// A runtime whose pod directories go to a directory of the test's own, and which holds on
/// to the namespaces its pods' processes were in, so that the test can prove that nothing
/// outlived a run: no directory, no process, no process in a pod's namespaces (which hold its
/// mounts and IPC objects). Holding a namespace open keeps its inode number from being reused
/// by another test's pod while it is compared.
final class IsolatedRuntime: Sendable {
    let base = "/tmp/podbench-test-\(UUID().uuidString.prefix(8))"
    let runtime: LocalRuntime
    /// Each namespace seen (`net:[4026531833]`) and a descriptor that keeps it.
    private let held = Mutex<[String: Int32]>([:])

    init() throws {
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        runtime = LocalRuntime(probePath: probePath, temporaryDirectory: base)
    }

    deinit {
        held.withLock { $0.values.forEach { close($0) } }
        try? FileManager.default.removeItem(atPath: base)
    }

    func run(_ scenario: Scenario) async -> ScenarioResult {
        let finished = Mutex(false)
        // On a thread of its own: on two busy cores a task of the concurrency pool may not get
        // to run while a short pod lives.
        let sampled = AsyncStream<Void> { continuation in
            Thread { [self] in
                let own = Set(namespaces(of: getpid()).keys)
                while !finished.withLock({ $0 }) {
                    for pid in pids(mentioning: base) {
                        for (link, path) in namespaces(of: pid) where !own.contains(link) {
                            held.withLock { held in
                                guard held[link] == nil else { return }
                                let fd = open(path, O_RDONLY | O_CLOEXEC)
                                if fd >= 0 { held[link] = fd }
                            }
                        }
                    }
                    usleep(1000)
                }
                continuation.finish()
            }.start()
        }
        let result = await ScenarioExecutor(runtime: runtime).run(scenario)
        finished.withLock { $0 = true }
        for await _ in sampled {}
        return result
    }

    /// Fails the test when anything of a pod outlived it.
    func expectNothingLeft(sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try FileManager.default.contentsOfDirectory(atPath: base) == [], sourceLocation: sourceLocation)
        #expect(pids(mentioning: base).isEmpty, sourceLocation: sourceLocation)
        let podNamespaces = Set(held.withLock { $0.keys })
        let all = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
        let survivors = all.filter { !podNamespaces.isDisjoint(with: namespaces(of: $0).keys) }
        #expect(survivors.isEmpty, "processes still in a pod's namespaces: \(survivors.map(commandLine(of:)))", sourceLocation: sourceLocation)
    }

    /// Whether the pods' processes were seen in namespaces other than the test's.
    var sawPodNamespaces: Bool {
        !held.withLock { $0.isEmpty }
    }
}

func scenario(_ yaml: String) throws -> Scenario {
    try ScenarioLoader.parse(yaml, file: "test.yaml")
}

/// Runs a repository scenario on a runtime of its own: every check must pass (none skipped),
/// and nothing of its pods may be left.
@discardableResult
func expectRepositoryScenarioPasses(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ScenarioResult {
    let runtime = try IsolatedRuntime()
    let result = await runtime.run(try named(name))
    #expect(result.status == .pass, "\(result.checks.filter { !$0.passed }) \(result.error ?? "")", sourceLocation: sourceLocation)
    // A namespace identity check may be left unjudged when a loaded machine started the pod's
    // containers too far apart to run at once (they are never failed for it).
    let unjudged = { (check: CheckResult) in check.name.hasPrefix("namespace.") && check.outcome == .skip && check.message.contains("never ran at once") }
    #expect(result.checks.allSatisfy { $0.outcome == .pass || unjudged($0) }, "\(result.checks.filter { !$0.passed })", sourceLocation: sourceLocation)
    try runtime.expectNothingLeft(sourceLocation: sourceLocation)
    return result
}

func named(_ name: String) throws -> Scenario {
    try #require(ScenarioLoader.load(paths: [repositoryScenarios]).first { $0.name == name })
}

@Suite struct LocalRuntimeTests {
    @Test(arguments: ["shared-volume", "ipc-message-queue"])
    func theSeedScenariosPass(_ name: String) async throws {
        let result = try await expectRepositoryScenarioPasses(name)
        #expect(!result.metrics.isEmpty)
        #expect(result.metrics.allSatisfy { $0.count > 0 })
    }

    /// The leak check looks for processes in the namespaces it saw a pod use: it must see them.
    @Test func theLeakCheckSeesThePodsNamespaces() async throws {
        let runtime = try IsolatedRuntime()
        _ = await runtime.run(try named("shared-volume"))
        #expect(runtime.sawPodNamespaces)
        try runtime.expectNothingLeft()
    }

    @Test func theQueueLivesInThePodsIPCNamespaceNotTheHosts() async throws {
        let runtime = try IsolatedRuntime()
        let seed = try named("ipc-message-queue")
        let finished = Mutex(false)
        let run = Task {
            let result = await runtime.run(seed)
            finished.withLock { $0 = true }
            return result
        }
        // While the pod runs, the seed's key names no queue in this (the host's) IPC namespace.
        var seenOnHost = false
        while !finished.withLock({ $0 }) {
            if msgget(0x4d43, 0) >= 0 { seenOnHost = true }
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(await run.value.status == .pass)
        #expect(!seenOnHost)
    }

    @Test func aConsumerInAnotherPodCannotReachTheQueue() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: broken-ipc
            description: The seed's mc2 split over two pods, which share no IPC namespace.
            timeout: 20s
            pods:
              - name: pod-a
                containers:
                  - name: producer
                    probe: sysv-producer
                    args: {key: 0x4d43, count: 10, wait: 1s}
              - name: pod-b
                containers:
                  - name: consumer
                    probe: sysv-consumer
                    args: {key: 0x4d43, count: 10, wait: 1s}
            expect:
              - check: sysv.queue-reachable
                level: MUST
              - check: sysv.all-consumed
                level: MUST
            """))
        #expect(result.status == .fail)
        let reachable = try #require(result.checks.first { $0.name == "sysv.queue-reachable" })
        #expect(!reachable.passed)
        #expect(reachable.message.contains("no System V queue with key 0x4d43"))
        #expect(result.checks.first { $0.name == "pod.completed" }?.passed == false)
        try runtime.expectNothingLeft()
    }

    @Test func aReaderOfAnotherVolumeSeesNothing() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: unshared-volume
            description: The seed's mc1 with each container on a volume of its own.
            pod:
              name: mc1
              volumes:
                - {name: a, emptyDir: {}}
                - {name: b, emptyDir: {}}
              containers:
                - name: reader
                  probe: volume-reader
                  args: {path: /data/log, count: 3, wait: 1s}
                  volumeMounts: [{name: a, mountPath: /data}]
                - name: writer
                  probe: volume-writer
                  args: {path: /data/log, count: 3, interval: 1ms, wait: 1s}
                  volumeMounts: [{name: b, mountPath: /data}]
            expect:
              - check: volume.lines-seen
                level: MUST
            """))
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "volume.lines-seen" }?.passed == false)
        try runtime.expectNothingLeft()
    }

    @Test func aMemoryVolumeIsSharedToo() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: memory-volume
            description: The seed's mc1 on a tmpfs emptyDir.
            pod:
              name: mc1
              volumes:
                - {name: html, emptyDir: {medium: Memory}}
              containers:
                - name: reader
                  probe: volume-reader
                  args: {path: /srv/www/index.html, count: 5}
                  volumeMounts: [{name: html, mountPath: /srv/www}]
                - name: writer
                  probe: volume-writer
                  args: {path: /html/index.html, count: 5, interval: 1ms}
                  volumeMounts: [{name: html, mountPath: /html}]
            expect:
              - check: volume.lines-seen
                level: MUST
              - check: pod.completed
                level: MUST
            """))
        #expect(result.status == .pass, "\(result.checks.filter { !$0.passed })")
        try runtime.expectNothingLeft()
    }

    @Test func aProbeThatWaitsPastTheTimeoutIsStoppedAndTheScenarioTimesOut() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: hanging
            description: A reader waiting for a writer that never comes.
            timeout: 2s
            pod:
              name: lonely
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - name: reader
                  probe: volume-reader
                  args: {path: /v/never, wait: 60s}
                  volumeMounts: [{name: v, mountPath: /v}]
            expect:
              - check: volume.lines-seen
                level: MUST
            """))
        // Stopped at the 2 s timeout, not after the probe's 60 s wait: the deadline's own record
        // says so. (Wall time is no evidence: on two cores, tests that compute hold up this
        // test's resumption, not the pod.) podbench's time limit judges no channel.
        #expect(result.status == .error)
        #expect(result.error == "timed out after 2s: raise timeout or lower rounds")
        let seen = try #require(result.checks.first { $0.name == "volume.lines-seen" })
        #expect(seen.outcome == .inconclusive)
        #expect(seen.message.contains("passed its deadline"), "\(seen.message)")
        try runtime.expectNothingLeft()
    }

    @Test func aProbeKilledMidRunFailsThePodAndLeavesNothing() async throws {
        let runtime = try IsolatedRuntime()
        let slow = try scenario("""
            name: killed-writer
            description: The seed's mc1 with a writer that dies half-way.
            pod:
              name: mc1
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - name: reader
                  probe: volume-reader
                  args: {path: /v/log, count: 600, wait: 2s}
                  volumeMounts: [{name: v, mountPath: /v}]
                - name: writer
                  probe: volume-writer
                  args: {path: /v/log, count: 600, interval: 50ms}
                  volumeMounts: [{name: v, mountPath: /v}]
            expect:
              - {check: volume.lines-seen, level: MUST}
              - {check: pod.completed, level: MUST}
            """)
        let run = Task { await runtime.run(slow) }
        // The writer is two processes once it runs: the one podbench started, which first waits
        // for its pod, and, in the container's PID namespace, its child that runs the probe.
        var writers: [Int32] = []
        _ = try await eventually(within: .seconds(60)) {
            writers = pids(mentioning: runtime.base).filter { commandLine(of: $0).contains("volume-writer") }
            return writers.count >= 2
        }
        // Let it write a few lines first.
        try await Task.sleep(for: .milliseconds(300))
        #expect(!writers.isEmpty)
        for pid in writers { kill(pid, SIGKILL) }
        let result = await run.value
        #expect(result.status == .fail)
        let completed = try #require(result.checks.first { $0.name == "pod.completed" })
        #expect(completed.message.contains("mc1/writer was killed by signal 9"), "\(completed.message)")
        #expect(result.checks.first { $0.name == "volume.lines-seen" }?.passed == false)
        try runtime.expectNothingLeft()
    }

    @Test func aContainerThatCannotBeSetUpIsAnErrorNotAVerdict() async throws {
        let runtime = try IsolatedRuntime()
        // /proc is the container's own proc: a mount point cannot be made in it. The loader
        // refuses such a mountPath, so the scenario is changed after loading.
        var bad = try scenario("""
            name: bad-mount
            description: A volume mounted over a file.
            pod:
              name: p
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - name: c
                  probe: volume-writer
                  args: {path: /data/x, wait: 1s}
                  volumeMounts: [{name: v, mountPath: /data}]
            expect:
              - check: volume.written
                level: MUST
            """)
        bad.pods[0].containers[0].volumeMounts[0].mountPath = "/proc/podbench"
        bad.pods[0].containers[0].args = [("path", "/proc/podbench/x"), ("wait", "1s")]
        let result = await runtime.run(bad)
        #expect(result.status == .error)
        #expect(result.error?.contains("container p/c could not be set up") == true, "\(result.error ?? "")")
        try runtime.expectNothingLeft()
    }

    @Test func aReadOnlyVolumeCannotBeWritten() async throws {
        let runtime = try IsolatedRuntime()
        // The writer writes once the reader has announced itself, which on two loaded cores can
        // take seconds: it waits up to 10 s for that, and fails at its first write.
        let result = await runtime.run(try scenario("""
            name: read-only
            description: A writer on a read-only mount of the volume.
            pod:
              name: p
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - name: reader
                  probe: volume-reader
                  args: {path: /in/log, count: 2, wait: 2s}
                  volumeMounts: [{name: v, mountPath: /in}]
                - name: writer
                  probe: volume-writer
                  args: {path: /out/log, count: 2, interval: 1ms, wait: 10s}
                  volumeMounts: [{name: v, mountPath: /out, readOnly: true}]
            expect:
              - {check: volume.written, level: MUST}
            """))
        #expect(result.status == .fail)
        let written = try #require(result.checks.first { $0.name == "volume.written" })
        #expect(written.message.contains("Read-only file system"), "\(written.message)")
        try runtime.expectNothingLeft()
    }

    /// The loader keeps probe paths on volumes; beneath it, a container's root is read-only and
    /// holds none of the host's directories (but /dev, /proc and /sys), so even a probe told
    /// otherwise cannot write to the host, nor to its own root.
    @Test func aContainerCannotWriteToTheHost() async throws {
        let runtime = try IsolatedRuntime()
        let escape = "/podbench-escape-\(UUID().uuidString.prefix(8))"
        let sneaky = Scenario(
            name: "escape", description: "A reader told to leave its marker on the host.", tags: [], timeout: 10_000_000_000,
            pods: [PodSpec(name: "p", volumes: [], containers: [
                ContainerSpec(name: "c", probe: "volume-reader", args: [("path", escape), ("wait", "1s")], volumeMounts: []),
            ])],
            expectations: [Expectation(check: "volume.lines-seen", level: .must)], file: "test")
        let result = await runtime.run(sneaky)
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "volume.lines-seen" }?.message.contains("Read-only file system") == true)
        #expect(!FileManager.default.fileExists(atPath: escape + ".reader-ready"))
        try runtime.expectNothingLeft()
    }

    /// Containers start beside their pod's infrastructure and wait for it (`--pod -`): when it
    /// never comes up they end at once, and the run says why the pod did not start, not that a
    /// container failed. Broken on purpose: the probe's `pod-infra` fails, as it does where
    /// namespaces cannot be made.
    @Test func aPodThatCannotStartIsAnErrorAndItsWaitingContainersGo() async throws {
        let base = "/tmp/podbench-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let broken = base + "/FakeProbeWithoutPods"
        try """
            #!/bin/sh
            if [ "$1" = pod-infra ]; then echo "podbench-probe: sandbox: no namespaces here (broken on purpose)" >&2; exit 125; fi
            exec \(probePath) "$@"
            """.write(toFile: broken, atomically: true, encoding: .utf8)
        chmod(broken, 0o755)
        let runtime = LocalRuntime(probePath: broken, temporaryDirectory: base)
        var waiting = try named("ipc-message-queue")
        waiting.timeout = 1_800_000_000_000
        let started = ContinuousClock.now
        await #expect {
            try await runtime.run(waiting)
        } throws: { error in
            let error = error as? RuntimeError
            return error?.message == "pod mc2 could not be started" && error?.cause?.contains("broken on purpose") == true
        }
        // The containers did not wait for the scenario's timeout (30 minutes), even on the
        // tests' busy cores.
        #expect(ContinuousClock.now - started < .seconds(600))
        #expect(pids(mentioning: base).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: base) == ["FakeProbeWithoutPods"])
    }

    /// Local pods have only their loopback: a scenario whose pods reach each other's addresses
    /// is skipped, and says where it runs.
    @Test func aScenarioThatReachesAPodsAddressIsRefused() throws {
        let runtime = try IsolatedRuntime().runtime
        #expect(runtime.refusal(try named("pod-to-pod-tcp"))?.contains("local pods have only their loopback: run it on podman, the CRI or Kubernetes") == true)
        #expect(runtime.refusal(try named("localhost-tcp")) == nil)
    }

    @Test func aMissingProbeExecutableIsAnError() async throws {
        let runtime = LocalRuntime(probePath: "/nonexistent/podbench-probe")
        await #expect(throws: RuntimeError.self) {
            try await runtime.run(try named("ipc-message-queue"))
        }
    }
}

extension LocalRuntimeTests {
    /// `podbench cleanup` running over and over while runs go never takes a live run's pod
    /// directory: it is locked before it is visible and removed before the lock goes.
    @Test func cleanupNeverTakesTheDirectoryOfARunThatGoes() async throws {
        let runtime = try IsolatedRuntime()
        let quick = try scenario("""
            name: quick
            description: Two containers that share a volume a short while.
            pod:
              name: q
              volumes: [{name: v, emptyDir: {}}, {name: w, emptyDir: {}}, {name: x, emptyDir: {}}]
              containers:
                - {name: r, probe: volume-reader, args: {path: /v/f, count: 3}, volumeMounts: [{name: v, mountPath: /v}, {name: w, mountPath: /w}]}
                - {name: w, probe: volume-writer, args: {path: /v/f, count: 3, interval: 1ms}, volumeMounts: [{name: v, mountPath: /v}, {name: x, mountPath: /x}]}
            expect: [{check: volume.lines-seen, level: MUST}]
            """)
        final class Sweeper: Sendable {
            let stop = Atomic(false)
            let taken = Mutex<[String]>([])
        }
        let sweeper = Sweeper()
        let base = runtime.base
        let thread = Thread {
            while !sweeper.stop.load(ordering: .relaxed) {
                let removed = Cleanup.temporaryDirectories(base: base)
                sweeper.taken.withLock { $0 += removed }
            }
        }
        thread.start()
        for _ in 0..<8 {
            let result = await runtime.run(quick)
            #expect(result.status == .pass, "\(result.checks.filter { !$0.passed }) \(result.error ?? "")")
        }
        sweeper.stop.store(true, ordering: .relaxed)
        #expect(sweeper.taken.withLock { $0 }.isEmpty)
        try runtime.expectNothingLeft()
    }
}
