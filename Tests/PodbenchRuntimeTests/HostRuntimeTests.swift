import CPodbench
import Foundation
import PodbenchCore
import PodbenchRuntime
import Testing

/// The host runtime: the same probes as plain processes in this machine's namespaces, volumes
/// as temporary directories; what needs a pod is skipped, and nothing is left.
@Suite final class HostRuntimeTests {
    /// Where this test's runtime makes its volume directories, apart from other tests', and
    /// removed after it.
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("podbench-host-test-\(UUID().uuidString.prefix(8))").path
    let runtime: HostRuntime

    init() throws {
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        runtime = HostRuntime(probePath: probePath, temporaryDirectory: base)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: base)
    }

    /// The scenario's volume directories left under the base.
    func podDirectories(of scenario: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).filter { $0.hasPrefix("podbench-pod-\(scenario)-") }
    }

    func run(_ scenario: Scenario) async -> ScenarioResult {
        if let refusal = runtime.refusal(scenario) {
            return ScenarioResult(scenario: scenario.name, status: .skipped, startedAt: Date(), duration: 0, error: refusal)
        }
        do {
            return Judge.judge(scenario, outcomes: try await runtime.run(scenario), pods: runtime.hasPods, startedAt: Date(), duration: 0)
        } catch {
            return ScenarioResult(scenario: scenario.name, status: .error, startedAt: Date(), duration: 0, error: error.description)
        }
    }

    /// A channel scenario and a volume scenario (its paths moved to the volume's directory)
    /// pass as processes; the namespace checks are not judged, and say why.
    @Test(arguments: ["localhost-tcp", "ipc-sysv-msg", "shared-volume"])
    func channelScenariosPassAsPlainProcesses(_ name: String) async throws {
        let result = await run(try named(name))
        #expect(result.status == .pass, "\(result.checks.filter { !$0.passed && $0.outcome != .skip }) \(result.error ?? "")")
        #expect(!result.metrics.filter { $0.source != nil }.isEmpty)
        let namespaces = result.checks.filter { $0.name.hasPrefix("namespace.") }
        #expect(!namespaces.isEmpty && namespaces.allSatisfy { $0.outcome == .skip && $0.message.contains("the host runtime runs processes, not pods") })
        #expect(podDirectories(of: name).isEmpty, "the volume directories are removed")
    }

    @Test(arguments: [("pod-isolation-ipc", "what two pods must not share"), ("shared-hostname", "hostname judges a pod's hostname"),
                      ("shared-process-namespace", "a pod's PID namespace"), ("localhost-capture", "a pod's own loopback")])
    func whatNeedsAPodIsSkippedWithTheReason(_ name: String, _ reason: String) throws {
        let refusal = runtime.refusal(try named(name))
        #expect(refusal?.contains(reason) == true, "\(refusal ?? "no refusal")")
    }

    /// Only the local runtime's pods start fast enough, whatever runs beside them, for waiting
    /// scenarios to wait together; the host's processes share the machine's ports and keys.
    @Test func onlyTheLocalRuntimeLetsScenariosWaitTogether() {
        #expect(LocalRuntime(probePath: probePath).waitsTogether)
        #expect(!runtime.waitsTogether)
        #expect(!PodmanRuntime(options: ManifestOptions(engine: .podman, image: "", runLabel: "t")).waitsTogether)
    }

    @Test func aReadOnlyMountIsSkippedWithTheReason() throws {
        let readOnly = try scenario("""
            name: read-only
            description: A reader that may not write.
            pod:
              name: p
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: w, probe: volume-writer, args: {path: /v/f}, volumeMounts: [{name: v, mountPath: /v}]}
                - {name: r, probe: volume-reader, args: {path: /v/f}, volumeMounts: [{name: v, mountPath: /v, readOnly: true}]}
            expect: [{check: pod.completed, level: MUST}]
            """)
        #expect(runtime.refusal(readOnly) == "the host runtime runs processes, not pods: r's read-only volume mount needs a mount namespace")
    }

    @Test func volumePathsAreMovedToTheVolumesDirectory() throws {
        let container = try #require(try named("shared-volume").pods.first?.containers.first)
        let arguments = HostRuntime.hostArguments(container) { "/tmp/x/\($0)" }
        let path = try #require(arguments.firstIndex(of: "--path").map { arguments[$0 + 1] })
        #expect(path.hasPrefix("/tmp/x/"), "\(arguments)")
    }

    /// A server that ran out of time (its client waits on another channel) leaves its queue, its
    /// segment and its semaphores in the host's IPC namespace: podbench removes them.
    @Test(arguments: [("sysv-msg", 0x5731), ("sysv-shm", 0x5732), ("posix-mq", 0x5733), ("posix-shm", 0x5734)])
    func aKilledServersIPCObjectsAreRemoved(_ channel: String, _ key: Int) async throws {
        var runtime = self.runtime
        runtime.killGrace = .zero
        let lonely = try scenario("""
            name: lonely-\(channel)
            description: A server whose client never comes.
            timeout: 1s
            pod:
              name: p
              containers:
                - {name: s, probe: ipc-server, args: {channel: \(channel), key: \(key), wait: 30s}}
                - {name: c, probe: ipc-client, args: {channel: \(channel), key: \(key + 0x100), wait: 30s}}
            expect:
              - {check: \(channel).served, level: INFO}
            """)
        _ = try await runtime.run(lonely)
        switch channel {
        case "sysv-msg": #expect(msgget(key_t(key), 0) == -1 && errno == ENOENT)
        case "sysv-shm": #expect(shmget(key_t(key), 0, 0) == -1 && semget(key_t(key), 0, 0) == -1)
        case "posix-mq":
            let queue = podbench_mq_open("/podbench-\(String(key, radix: 16))-ping", O_RDONLY, 0, 0, 0)
            #expect(queue == -1 && errno == ENOENT)
        default:
            let names = ["podbench-", "sem.podbench-"].map { "/dev/shm/\($0)\(String(key, radix: 16))" }
            #expect(!FileManager.default.fileExists(atPath: names[0]) && !FileManager.default.fileExists(atPath: names[1] + "-ping"))
        }
    }

    /// A System V queue with `key` made by the test, not by a probe; the caller removes it.
    static func foreignQueue(_ key: Int) throws -> Int32 {
        let queue = msgget(key_t(key), IPC_CREAT | IPC_EXCL | 0o600)
        try #require(queue >= 0, "key 0x\(String(key, radix: 16)) is taken: errno \(errno)")
        return queue
    }

    /// A queue with the scenario's key that was there before it is someone else's: the server
    /// cannot make its own, and podbench leaves that one where it is.
    @Test func aQueueThatWasThereBeforeTheScenarioIsLeft() async throws {
        let key = 0x5735
        let queue = try Self.foreignQueue(key)
        defer { msgctl(queue, IPC_RMID, nil) }
        let taken = try scenario("""
            name: taken
            description: A server whose key is taken.
            timeout: 2s
            pod:
              name: p
              containers:
                - {name: s, probe: ipc-server, args: {channel: sysv-msg, key: \(key)}}
            expect:
              - {check: sysv-msg.served, level: INFO}
            """)
        let outcomes = try await runtime.run(taken)
        #expect(outcomes.first?.standardOutput.contains("msgget") == true, "\(outcomes)")
        #expect(msgget(key_t(key), 0) == queue)
    }

    /// A channel whose server never answers (it died after making it): the client's deadline
    /// says the greeting went unanswered, on the reachability check.
    @Test func aChannelWhoseServerNeverAnswersFailsReachability() async throws {
        let key = 0x5736
        let queue = try Self.foreignQueue(key)
        defer { msgctl(queue, IPC_RMID, nil) }
        let silent = try scenario("""
            name: silent
            description: A client whose server made its queue and died.
            timeout: 1s
            pod:
              name: p
              containers:
                - {name: c, probe: ipc-client, args: {channel: sysv-msg, key: \(key)}}
            expect:
              - {check: sysv-msg.reachable, level: MUST}
            """)
        let output = try await runtime.run(silent).first?.standardOutput ?? ""
        #expect(output.contains(#""name":"sysv-msg.reachable","ok":false"#) && output.contains("the server did not answer the greeting"), "\(output)")
    }
}
