import Foundation
import Testing

/// `podbench render`: every manifest podbench can render passes the official Kubernetes schema,
/// strictly (kubernetes-validate from PyPI, installed by scripts/setup-debian).
@Suite struct RenderCommandTests {
    func validate(_ yaml: String, in scratch: Scratch) async throws -> Invocation {
        let file = try scratch.file("pods.yaml", yaml)
        return try await runCommand("/usr/bin/env", ["kubernetes-validate", "--strict", "--quiet", file])
    }

    @Test(arguments: [
        ["render", "all"],
        ["render", "all", "--runtime", "podman"],
        ["render", "all", "--pod-security", "privileged", "--node", "node-1", "--node-selector", "zone=a", "--image-pull-secret", "registry", "--probe-image", "registry.example/podbench-probe:0.1.0", "--runtime-class", "gvisor"],
    ])
    func everyRenderedManifestValidatesStrictly(_ arguments: [String]) async throws {
        let scratch = try Scratch()
        let render = try await podbenchRun(arguments)
        #expect(render.status == 0, "\(render.error)")
        #expect(render.output.components(separatedBy: "kind: Pod").count - 1 >= 28, "a document per pod")
        let validation = try await validate(render.output, in: scratch)
        #expect(validation.status == 0, "\(validation.output)\(validation.error)")
    }

    /// The schema check catches what it is there for.
    @Test func aManifestWithAFieldKubernetesDoesNotKnowFailsValidation() async throws {
        let scratch = try Scratch()
        let render = try await podbenchRun(["render", "shared-volume"])
        let broken = render.output.replacingOccurrences(of: "  restartPolicy: Never", with: "  restartPolicy: Never\n  restartPolicyy: Never")
        #expect(broken != render.output)
        let validation = try await validate(broken, in: scratch)
        #expect(validation.status != 0)
    }

    @Test func theManifestIsLeastPrivilegeAndLabelled() async throws {
        let render = try await podbenchRun(["render", "ipc-message-queue"])
        for line in [
            "runAsNonRoot: true", "allowPrivilegeEscalation: false", "- ALL", "type: RuntimeDefault", "readOnlyRootFilesystem: true",
            "automountServiceAccountToken: false", "restartPolicy: Never", "app.kubernetes.io/managed-by: podbench",
            "podbench.io/scenario: ipc-message-queue", "podbench.io/run: render", "- /podbench-probe",
        ] {
            #expect(render.output.contains(line), "\(line)")
        }
        // The probe's arguments are an array of strings, never a shell line.
        #expect(render.output.contains("args:\n    - \"--deadline\"\n    - \"30s\"\n    - \"sysv-producer\"\n    - \"--key\"\n    - \"0x4d43\""))
        #expect(!render.output.contains("sh -c"))
    }

    @Test func placementAndImageOptionsReachTheManifest() async throws {
        let render = try await podbenchRun(["render", "ipc-message-queue", "--node", "node-1", "--node-selector", "zone=a", "--image-pull-secret", "registry", "--probe-image", "registry.example/podbench-probe:0.1.0", "--runtime-class", "gvisor"])
        for line in ["runtimeClassName: gvisor", "nodeName: node-1", "nodeSelector:\n    zone: a", "imagePullSecrets:\n  - name: registry", "image: registry.example/podbench-probe:0.1.0", "imagePullPolicy: IfNotPresent"] {
            #expect(render.output.contains(line), "\(line)")
        }
        let fromEnvironment = try await podbenchRun(["render", "ipc-message-queue"], environment: ["PODBENCH_PROBE_IMAGE": "mirror.internal/podbench-probe:0.1.0"])
        #expect(fromEnvironment.output.contains("image: mirror.internal/podbench-probe:0.1.0"))
        let local = try await podbenchRun(["render", "ipc-message-queue"])
        #expect(local.output.contains("image: localhost/podbench-probe:0.1.0") && local.output.contains("imagePullPolicy: Never"))
    }

    /// Pods of one scenario are kept on one node on Kubernetes, where isolation between
    /// machines would prove nothing; podman has one machine, and `--node` pins them already.
    @Test func thePodsOfAScenarioAskForOneNode() async throws {
        let affinity = "affinity:\n    podAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector:\n          matchLabels:\n            podbench.io/run: render\n        topologyKey: kubernetes.io/hostname"
        let twoPods = try await podbenchRun(["render", "pod-isolation-ipc"])
        #expect(twoPods.output.components(separatedBy: affinity).count - 1 == 2, "\(twoPods.output)")
        for arguments in [["render", "shared-volume"], ["render", "pod-isolation-ipc", "--runtime", "podman"], ["render", "pod-isolation-ipc", "--node", "node-1"]] {
            #expect(try await !podbenchRun(arguments).output.contains("affinity"), "\(arguments)")
        }
    }

    @Test func aScenarioNeedingACapabilityIsLeftOutUnderRestrictedAndSaysWhy() async throws {
        let restricted = try await podbenchRun(["render", "localhost-capture"])
        #expect(restricted.status == 0)
        #expect(!restricted.output.contains("kind: Pod"))
        #expect(restricted.error.contains("needs NET_RAW, which PodSecurity \"restricted\" forbids"))
        let privileged = try await podbenchRun(["render", "localhost-capture", "--pod-security", "privileged"])
        #expect(privileged.output.contains("add:\n        - NET_RAW"))
    }

    /// Pods are named for their run, so that two runs in one namespace (or a run's repetitions,
    /// while the last one's pods are still going) never meet; the hostname stays the scenario's.
    @Test func podsAreNamedForTheRunAndKeepTheScenariosHostname() async throws {
        let render = try await podbenchRun(["render", "shared-volume"])
        #expect(render.output.contains("metadata:\n  name: mc1-render\n"), "\(render.output)")
        #expect(render.output.contains("spec:\n  hostname: mc1\n"), "\(render.output)")
    }

    @Test func podmanVolumesAreNamedForTheRunKubernetesOnesAsWritten() async throws {
        let kubernetes = try await podbenchRun(["render", "shared-volume"])
        let podman = try await podbenchRun(["render", "shared-volume", "--runtime", "podman"])
        #expect(kubernetes.output.contains("- name: html\n    emptyDir: {}"))
        #expect(podman.output.contains("- name: render-html\n    emptyDir: {}"))
    }
}
