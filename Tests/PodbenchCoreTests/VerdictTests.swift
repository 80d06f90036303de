import Foundation
import PodbenchCore
import PodbenchProbeInterface
import Testing

/// The verdicts that look-alike values, knock-on failures and folding used to get wrong.
@Suite struct VerdictTests {
    static let host = NamespaceIdentity(namespaces: ["net": "4:1", "ipc": "4:2", "uts": "4:3", "pid": "4:4", "mnt": "4:5", "time": "4:6"], kernel: "host-boot")

    /// A pod's container's namespaces: the pod's shared ones, its own pid and mnt, one time namespace.
    static func identity(pod: Int, container: Int, kernel: String = "host-boot", changing: [String: String] = [:]) -> NamespaceIdentity {
        var namespaces = ["net": "4:\(pod)01", "ipc": "4:\(pod)02", "uts": "4:\(pod)03", "pid": "4:\(pod)\(container)4", "mnt": "4:\(pod)\(container)5", "time": "4:6"]
        namespaces.merge(changing) { $1 }
        return NamespaceIdentity(namespaces: namespaces, kernel: kernel)
    }

    /// A probe's `started` and `finished` records: by default every container ran at once.
    static func lifetime(_ identity: NamespaceIdentity, from start: UInt64 = 1, to end: UInt64 = 10) -> [String] {
        [ProbeRecord.started(at: start, identity: identity), ProbeRecord.finished(at: end)].map { String(decoding: try! JSONEncoder().encode($0), as: UTF8.self) }
    }

    let scenario = try! ScenarioLoader.parse("""
        name: named
        description: A pod's hostname.
        pods:
          - name: a
            containers:
              - {name: one, probe: hostname, args: {name: a}}
              - {name: two, probe: hostname, args: {name: a}}
          - name: b
            containers:
              - {name: one, probe: hostname, args: {name: b}}
        expect:
          - {check: uts.hostname, level: MUST}
          - {check: pod.completed, level: MUST}
        """, file: "named.yaml")

    func judge(_ identities: [(pod: String, container: String, identity: NamespaceIdentity)], lines: [String] = [#"{"podbench":"check","name":"uts.hostname","ok":true,"message":"hostname is the pod's"}"#], host: NamespaceIdentity? = host, sequential: Bool = false) -> ScenarioResult {
        Judge.judge(scenario, outcomes: identities.enumerated().map { index, container in
            let start = sequential ? UInt64(index * 10 + 1) : 1
            return ContainerOutcome(pod: container.pod, container: container.container, ending: .exited(0), standardOutput: (Self.lifetime(container.identity, from: start, to: start + 5) + lines).joined(separator: "\n") + "\n", standardError: "")
        }, host: host, startedAt: Date(), duration: 1)
    }

    func check(_ result: ScenarioResult, _ name: String) -> CheckResult? {
        result.checks.first { $0.name == name }
    }

    @Test func aPodWhoseNamespacesAreSharedAndItsOwnPasses() {
        let result = judge([("a", "one", Self.identity(pod: 1, container: 1)), ("a", "two", Self.identity(pod: 1, container: 2)), ("b", "one", Self.identity(pod: 2, container: 1))])
        #expect(result.status == .pass, "\(result.checks)")
        for name in Judge.namespaceCheckNames {
            #expect(check(result, name)?.outcome == .pass, "\(name): \(check(result, name)?.message ?? "")")
            #expect(check(result, name)?.level == .must)
        }
    }

    /// Finding 1: a UTS namespace per container with the pod's hostname passed on the value.
    @Test func aUTSNamespaceOfItsOwnFailsThoughTheHostnameLooksRight() {
        let result = judge([("a", "one", Self.identity(pod: 1, container: 1)), ("a", "two", Self.identity(pod: 1, container: 2, changing: ["uts": "4:999"])), ("b", "one", Self.identity(pod: 2, container: 1))])
        #expect(result.status == .fail)
        #expect(check(result, "namespace.uts")?.failed == true)
        #expect(check(result, "namespace.uts")?.message.contains("a/one and a/two are in different uts namespaces (4:103, 4:999)") == true)
        #expect(check(result, "uts.hostname")?.passed == true)
    }

    /// A dead namespace's inode number is reused: containers that never ran at once may show
    /// one identity without sharing anything, and are not judged on it (different identities
    /// still prove different namespaces).
    @Test func containersThatNeverRanAtOnceAreNotComparedWithEachOther() {
        let result = judge([("a", "one", Self.identity(pod: 1, container: 1)), ("a", "two", Self.identity(pod: 1, container: 2))], sequential: true)
        #expect(check(result, "namespace.uts")?.outcome == .skip)
        #expect(check(result, "namespace.uts")?.message.contains("a's containers never ran at once") == true)
        let split = judge([("a", "one", Self.identity(pod: 1, container: 1)), ("a", "two", Self.identity(pod: 1, container: 2, changing: ["uts": "4:999"]))], sequential: true)
        #expect(check(split, "namespace.uts")?.outcome == .fail, "different identities mean different namespaces, whenever they were taken")
    }

    /// A container killed with SIGKILL says no `finished`: it ran until the runtime saw it end,
    /// so it did run beside its sibling (finding 7 of the second reliability round, where the
    /// namespace checks said "never ran at once").
    @Test func aKilledContainerRanUntilTheRuntimeSawItEnd() {
        let started = { (identity: NamespaceIdentity) in String(decoding: try! JSONEncoder().encode(ProbeRecord.started(at: 1, identity: identity)), as: UTF8.self) }
        let result = Judge.judge(scenario, outcomes: [
            ContainerOutcome(pod: "a", container: "one", ending: .exited(0), standardOutput: Self.lifetime(Self.identity(pod: 1, container: 1), from: 1, to: 6).joined(separator: "\n") + "\n", standardError: ""),
            ContainerOutcome(pod: "a", container: "two", ending: .signaled(9), standardOutput: started(Self.identity(pod: 1, container: 2)) + "\n", standardError: "", endedAt: 4),
        ], host: Self.host, startedAt: Date(), duration: 1)
        #expect(check(result, "namespace.uts")?.outcome == .pass, "\(check(result, "namespace.uts")?.message ?? "")")
        #expect(check(result, "namespace.uts")?.message.contains("never ran at once") == false)
    }

    /// gVisor: `/proc/self/ns/*` are procfs files with the same numbers in every sandbox, and
    /// there is no boot id. Nothing is judged on them, and the message says why and where.
    @Test func aKernelWithoutNamespaceInodesIsNotJudgedOnThem() {
        let why = "/proc/self/ns/net is no namespace inode (stat gives 12:124, its link net:[110])"
        let gVisor = NamespaceIdentity(namespaces: [:], kernel: nil, unidentified: ["net": why], release: "4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016")
        let result = judge([("a", "one", gVisor), ("a", "two", gVisor), ("b", "one", gVisor)])
        #expect(check(result, "namespace.net")?.outcome == .skip)
        #expect(check(result, "namespace.net")?.message == "a/one has no net namespace identity: \(why) on kernel 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016; b/one has no net namespace identity: \(why) on kernel 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016; the channels' own checks decide")
        #expect(check(result, "namespace.ipc")?.message.hasPrefix("a/one has no ipc namespace identity: no ipc namespace identity was reported on kernel 4.4.0") == true)
        #expect(result.status == .pass, "the probes' own checks passed")
    }

    @Test func twoPodsInOneNetworkNamespaceFail() {
        let result = judge([("a", "one", Self.identity(pod: 1, container: 1)), ("a", "two", Self.identity(pod: 1, container: 2)), ("b", "one", Self.identity(pod: 2, container: 1, changing: ["net": "4:101"]))])
        #expect(check(result, "namespace.net")?.message == "pods a and b share one net namespace (4:101)")
    }

    /// Finding 2 (by identity): a pod in the host's PID namespace.
    @Test func aPodInTheHostsNamespacesFails() {
        let leaked = ["pid": "4:4", "ipc": "4:2"]
        let result = judge([("a", "one", Self.identity(pod: 1, container: 1, changing: leaked)), ("a", "two", Self.identity(pod: 1, container: 2, changing: leaked)), ("b", "one", Self.identity(pod: 2, container: 1))])
        #expect(check(result, "namespace.pid")?.message.contains("a/one is in the host's pid namespace (4:4)") == true)
        #expect(check(result, "namespace.ipc")?.message.contains("a/one is in the host's ipc namespace (4:2)") == true)
        #expect(result.status == .fail)
    }

    @Test func aSandboxWithAKernelOfItsOwnIsNotComparedWithTheHost() {
        let result = judge([("a", "one", Self.identity(pod: 1, container: 1, kernel: "sandbox")), ("a", "two", Self.identity(pod: 1, container: 2, kernel: "sandbox")), ("b", "one", Self.identity(pod: 2, container: 1, kernel: "other"))])
        #expect(check(result, "namespace.net")?.outcome == .pass)
        #expect(check(result, "namespace.net")?.message.contains("not compared with the host's") == true)
        let split = judge([("a", "one", Self.identity(pod: 1, container: 1, kernel: "x")), ("a", "two", Self.identity(pod: 1, container: 2, kernel: "y"))])
        #expect(check(split, "namespace.ipc")?.outcome == .skip)
        #expect(check(split, "namespace.ipc")?.message.contains("different kernels") == true)
    }

    /// Finding 8: one-way times across containers that do not read one clock are not numbers.
    @Test func oneWayTimesAcrossKernelsAreInvalid() {
        let metric = #"{"podbench":"metric","name":"volume.write-to-visible","unit":"ns","values":[[1000,3]]}"#
        let result = judge([("a", "one", Self.identity(pod: 1, container: 1, kernel: "x")), ("a", "two", Self.identity(pod: 1, container: 2, kernel: "y"))], lines: [metric])
        let judged = result.metrics.first { $0.name == "volume.write-to-visible" }
        #expect(judged?.count == 0)
        #expect(judged?.invalid?.contains("do not share one kernel and time namespace") == true)
        let same = judge([("a", "one", Self.identity(pod: 1, container: 1)), ("a", "two", Self.identity(pod: 1, container: 2))], lines: [metric])
        #expect(same.metrics.first { $0.name == "volume.write-to-visible" }?.count == 3)
    }

    @Test func aProbeSaysWhenSamplesArrivedBeforeTheyWereSent() {
        var recorder = LatencyRecorder(capacity: 4)
        recorder.recordOneWay(sent: 100, arrived: 150)
        recorder.recordOneWay(sent: 200, arrived: 150)
        #expect(recorder.count == 1)
        #expect(recorder.backwards == 1)
    }

    /// Finding 3: a failed rendezvous leaves the check not judged, and the scenario without a
    /// verdict, instead of blaming the channel.
    @Test func anInconclusiveMustCheckIsNotAFailure() {
        let line = String(decoding: try! JSONEncoder().encode(ProbeRecord.inconclusive(CheckName("uts.hostname"), "the rendezvous on /sync was not shared")), as: UTF8.self)
        let result = judge([("a", "one", Self.identity(pod: 1, container: 1)), ("a", "two", Self.identity(pod: 1, container: 2)), ("b", "one", Self.identity(pod: 2, container: 1))], lines: [line])
        #expect(check(result, "uts.hostname")?.outcome == .inconclusive)
        #expect(result.status == .error)
        #expect(result.error?.hasPrefix("not judged: uts.hostname (a/one): the rendezvous on /sync was not shared") == true)
        #expect(!result.checks.contains { $0.failed })
    }
}

@Suite struct CompletionTests {
    let scenario = try! ScenarioLoader.parse("""
        name: judged
        description: Judging.
        pod:
          name: p
          containers:
            - {name: first, probe: hostname, args: {name: p}}
            - {name: second, probe: hostname, args: {name: p}}
        expect:
          - {check: uts.hostname, level: SHOULD}
          - {check: pod.completed, level: MUST}
        """, file: "judged.yaml")

    /// Finding 5: a probe exits 1 for its failed SHOULD check; the pod still completed.
    @Test func aShouldFailureDoesNotFailPodCompleted() {
        let result = Judge.judge(scenario, outcomes: [
            ContainerOutcome(pod: "p", container: "first", ending: .exited(1), standardOutput: #"{"podbench":"check","name":"uts.hostname","ok":false,"message":"other"}"# + "\n", standardError: ""),
            ContainerOutcome(pod: "p", container: "second", ending: .exited(0), standardOutput: #"{"podbench":"check","name":"uts.hostname","ok":true,"message":"p"}"# + "\n", standardError: ""),
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .pass)
        #expect(result.checks.first { $0.name == "pod.completed" }?.passed == true)
        #expect(result.warnings.count == 1)
    }

    /// Finding 6: one container of a role reported the check, the other crashed before it.
    @Test func aCheckAContainerOfTheRoleNeverReportedIsNamed() {
        let result = Judge.judge(scenario, outcomes: [
            ContainerOutcome(pod: "p", container: "first", ending: .signaled(9), standardOutput: "", standardError: ""),
            ContainerOutcome(pod: "p", container: "second", ending: .exited(0), standardOutput: #"{"podbench":"check","name":"uts.hostname","ok":true,"message":"p"}"# + "\n", standardError: ""),
        ], startedAt: Date(), duration: 1)
        let missing = result.checks.first { $0.name == "uts.hostname" && $0.source == "p/first" }
        #expect(missing?.failed == true)
        #expect(missing?.message == "not reported by p/first, which was killed by signal 9 (SIGKILL)")
    }
}
