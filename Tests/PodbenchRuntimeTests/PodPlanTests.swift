import PodbenchCore
@testable import PodbenchRuntime
import Testing

/// The plan of a scenario's pods carries podbench's policy for runtimes that read it directly
/// (the YAML it renders to is tested in RenderCommandTests).
@Suite struct PodPlanTests {
    static func load(_ name: String) throws -> Scenario {
        try #require(ScenarioLoader.load(paths: ["Scenarios"]).first { $0.name == name })
    }

    @Test func podsRunAsNobodyWithTheProbesDeadlineAndTheRunsLabels() throws {
        var scenario = try Self.load("pod-isolation-ipc")
        scenario.timeout = 2_500_000_000
        let options = ManifestOptions(engine: .kubernetes, image: "localhost/podbench-probe:test", runLabel: "pb-00000001")
        let plan = PodPlan(scenario, options)
        #expect(plan.pods.count == 2)
        for pod in plan.pods {
            #expect(pod.user == 65534)
            #expect(pod.probeDeadlineSeconds == 3 && pod.activeDeadlineSeconds == 33)
            #expect(pod.labels.contains { $0.key == "podbench.io/run" && $0.value == "pb-00000001" })
            #expect(pod.sameNodeAs == "pb-00000001", "two pods of a run ask for one node")
            for container in pod.containers {
                #expect(container.pullPolicy == .never && !container.runsAsRoot && container.addedCapabilities.isEmpty)
                #expect(container.arguments.prefix(2) == ["--deadline", "3s"])
            }
        }
    }

    @Test(arguments: [ManifestOptions.Engine.kubernetes, .podman])
    func addedCapabilitiesComeOnlyUnderPrivilegedAndRootOnlyOnKubernetes(_ engine: ManifestOptions.Engine) throws {
        let scenario = try Self.load("localhost-capture")
        let restricted = PodPlan(scenario, ManifestOptions(engine: engine, image: "i", runLabel: "pb-1"))
        #expect(restricted.pods.flatMap(\.containers).allSatisfy { $0.addedCapabilities.isEmpty && !$0.runsAsRoot })
        let privileged = PodPlan(scenario, ManifestOptions(engine: engine, image: "i", runLabel: "pb-1", podSecurity: .privileged))
        let capturing = try #require(privileged.pods.flatMap(\.containers).first { !$0.addedCapabilities.isEmpty })
        #expect(capturing.addedCapabilities == ["NET_RAW"])
        #expect(capturing.runsAsRoot == (engine == .kubernetes))
        #expect(privileged.pods.allSatisfy { $0.sameNodeAs == nil }, "one pod needs no affinity")
    }
}

/// gVisor's mount hints name a volume; only the kubelet knows where the volume is, and podbench
/// in its part adds `source`.
@Suite struct GVisorMountHintsTests {
    @Test func aHintedVolumeGetsItsHostDirectoryAsSource() {
        let hints = ["dev.gvisor.spec.mount.shared.share": "pod", "dev.gvisor.spec.mount.shared.type": "tmpfs",
                     "dev.gvisor.spec.mount.given.share": "pod", "dev.gvisor.spec.mount.given.source": "/elsewhere",
                     "dev.gvisor.spec.mount.unknown.share": "pod", "other": "x"]
        let completed = GVisorMountHints.completed(hints, volumes: ["shared": "/run/p/shared", "given": "/run/p/given", "plain": "/run/p/plain"])
        #expect(completed["dev.gvisor.spec.mount.shared.source"] == "/run/p/shared")
        #expect(completed["dev.gvisor.spec.mount.given.source"] == "/elsewhere", "a source the scenario gives stays")
        #expect(completed["dev.gvisor.spec.mount.unknown.source"] == nil, "no such volume")
        #expect(completed["dev.gvisor.spec.mount.plain.source"] == nil, "a volume without hints gets none")
        #expect(completed.count == hints.count + 1)
    }
}
