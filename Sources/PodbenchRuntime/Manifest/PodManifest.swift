import PodbenchCore
import Yams

/// Renders a scenario's pods as Kubernetes Pod manifests (apiVersion v1): the one description
/// that `podbench render`, the podman runtime and the Kubernetes runtime all use.
public enum PodManifest {
    /// Where the probe executable sits in the probe image.
    public static let probePath = "/podbench-probe"
    /// The CPU and memory limit of every container: room for a probe, no more.
    public static let containerLimits = (cpu: "1", memory: "256Mi")
    /// The user probes run as under "restricted": nobody.
    static let user = 65534

    /// Why the scenario cannot run under `options`, or nil when it can.
    public static func refusal(_ scenario: Scenario, _ options: ManifestOptions) -> String? {
        guard options.podSecurity == .restricted else { return nil }
        for pod in scenario.pods {
            for container in pod.containers where !container.addedCapabilities.isEmpty {
                return "\(pod.name)/\(container.name) needs \(container.addedCapabilities.joined(separator: ", ")), which PodSecurity \"restricted\" forbids; run with --pod-security privileged to include it"
            }
        }
        return nil
    }

    /// The scenario's pods as one multi-document YAML text.
    public static func yaml(_ scenario: Scenario, _ options: ManifestOptions) throws -> String {
        try scenario.pods.map { try Yams.serialize(node: pod($0, of: scenario, options), sortKeys: false) }
            .joined(separator: "---\n")
    }

    /// The name a volume gets: its own for Kubernetes (an emptyDir belongs to its pod); for
    /// podman, where an emptyDir is a podman volume named after it, one unique to the run.
    public static func volumeName(_ name: String, _ options: ManifestOptions) -> String {
        options.engine == .podman ? "\(options.runLabel)-\(name)" : name
    }

    /// The name a pod gets: the scenario's pod name and the run's label, so that two runs in one
    /// namespace (or the repetitions of one run, while the last one's pods are still being
    /// deleted) never meet on a name. Its hostname stays the scenario's pod name.
    public static func podName(_ pod: PodSpec, _ options: ManifestOptions) -> String {
        "\(pod.name)-\(options.runLabel)"
    }

    static func pod(_ pod: PodSpec, of scenario: Scenario, _ options: ManifestOptions) -> Node {
        let deadline = max(1, (scenario.timeout + 999_999_999) / 1_000_000_000)
        var spec: [(String, Node)] = [
            ("hostname", Node(pod.name)),
            ("restartPolicy", "Never"),
            // Kubernetes stops a pod that outlives the probes' own deadline by half a minute.
            ("activeDeadlineSeconds", Node(String(deadline + 30), Tag(.int))),
            ("terminationGracePeriodSeconds", Node("5", Tag(.int))),
            ("automountServiceAccountToken", Node("false", Tag(.bool))),
            ("enableServiceLinks", Node("false", Tag(.bool))),
        ]
        if pod.shareProcessNamespace { spec.append(("shareProcessNamespace", Node("true", Tag(.bool)))) }
        if let runtimeClass = options.runtimeClass { spec.append(("runtimeClassName", Node(runtimeClass))) }
        if let node = options.nodeName { spec.append(("nodeName", Node(node))) }
        if !options.nodeSelector.isEmpty { spec.append(("nodeSelector", map(options.nodeSelector.map { ($0.key, Node($0.value)) }))) }
        if scenario.pods.count > 1, options.engine == .kubernetes, options.nodeName == nil {
            spec.append(("affinity", sameNode(options)))
        }
        if let secret = options.imagePullSecret { spec.append(("imagePullSecrets", [map([("name", Node(secret))])])) }
        spec.append(("securityContext", map([
            ("runAsNonRoot", Node("true", Tag(.bool))),
            ("runAsUser", Node(String(user), Tag(.int))),
            ("runAsGroup", Node(String(user), Tag(.int))),
            ("fsGroup", Node(String(user), Tag(.int))),
            ("seccompProfile", map([("type", "RuntimeDefault")])),
        ])))
        if !pod.volumes.isEmpty {
            spec.append(("volumes", Node(pod.volumes.map { volume in
                let emptyDir = volume.medium == .memory ? map([("medium", "Memory")]) : map([])
                return map([("name", Node(volumeName(volume.name, options))), ("emptyDir", emptyDir)])
            })))
        }
        spec.append(("containers", Node(pod.containers.map { container($0, deadline: deadline, options) })))
        return map([
            ("apiVersion", "v1"),
            ("kind", "Pod"),
            ("metadata", map([
                ("name", Node(podName(pod, options))),
                ("labels", map([
                    ("app.kubernetes.io/name", "podbench"),
                    ("app.kubernetes.io/managed-by", "podbench"),
                    ("podbench.io/run", Node(options.runLabel)),
                    ("podbench.io/scenario", Node(scenario.name)),
                ])),
            ])),
            ("spec", map(spec)),
        ])
    }

    /// The pods of one scenario run on one node: pods on different machines share nothing
    /// whatever the runtime does, so their isolation checks would prove nothing. Each pod asks
    /// for the node of its run's other pods; the first one scheduled goes anywhere.
    static func sameNode(_ options: ManifestOptions) -> Node {
        let term = map([
            ("labelSelector", map([("matchLabels", map([("podbench.io/run", Node(options.runLabel))]))])),
            ("topologyKey", "kubernetes.io/hostname"),
        ])
        return map([("podAffinity", map([("requiredDuringSchedulingIgnoredDuringExecution", [term])]))])
    }

    static func container(_ container: ContainerSpec, deadline: UInt64, _ options: ManifestOptions) -> Node {
        let arguments = ["--deadline", "\(deadline)s"] + container.probeArguments
        var security: [(String, Node)] = [
            ("allowPrivilegeEscalation", Node("false", Tag(.bool))),
            ("readOnlyRootFilesystem", Node("true", Tag(.bool))),
        ]
        var capabilities: [(String, Node)] = [("drop", ["ALL"])]
        if options.podSecurity == .privileged && !container.addedCapabilities.isEmpty {
            capabilities.append(("add", Node(container.addedCapabilities.map { Node($0) })))
            // On Kubernetes only root keeps added capabilities across exec; podman gives them to
            // any user (ambient), and there the pod's user must stay, since a podman volume
            // belongs to the user of the first container that mounts it.
            if options.engine == .kubernetes {
                security += [("runAsNonRoot", Node("false", Tag(.bool))), ("runAsUser", Node("0", Tag(.int)))]
            }
        }
        security.append(("capabilities", map(capabilities)))
        var fields: [(String, Node)] = [
            ("name", Node(container.name)),
            ("image", Node(options.image)),
            ("imagePullPolicy", options.image.hasPrefix("localhost/") ? "Never" : "IfNotPresent"),
            ("command", [Node(probePath)]),
            ("args", Node(arguments.map { Node($0, Tag(.str), .doubleQuoted) })),
            ("resources", map([
                ("requests", map([("cpu", "50m"), ("memory", "32Mi")])),
                ("limits", map([("cpu", Node(containerLimits.cpu)), ("memory", Node(containerLimits.memory))])),
            ])),
            ("securityContext", map(security)),
        ]
        if !container.volumeMounts.isEmpty {
            fields.append(("volumeMounts", Node(container.volumeMounts.map { mount in
                var entry: [(String, Node)] = [("name", Node(volumeName(mount.name, options))), ("mountPath", Node(mount.mountPath))]
                if mount.readOnly { entry.append(("readOnly", Node("true", Tag(.bool)))) }
                return map(entry)
            })))
        }
        return map(fields)
    }

    /// A mapping that keeps its keys in the order given.
    static func map(_ pairs: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(pairs.map { (Node($0.0), $0.1) }))
    }
}
