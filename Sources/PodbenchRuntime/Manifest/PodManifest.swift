import PodbenchCore
import Yams

/// Renders a scenario's `PodPlan` as Kubernetes Pod manifests (apiVersion v1): what
/// `podbench render`, the podman runtime and the Kubernetes runtime apply.
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
        try yaml(PodPlan(scenario, options).pods)
    }

    /// Some pods of a plan as one multi-document YAML text.
    public static func yaml(_ pods: [PodPlan.Pod]) throws -> String {
        try pods.map { try Yams.serialize(node: pod($0), sortKeys: false) }.joined(separator: "---\n")
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

    static func pod(_ pod: PodPlan.Pod) -> Node {
        var spec: [(String, Node)] = [
            ("hostname", Node(pod.hostname)),
            ("restartPolicy", "Never"),
            ("activeDeadlineSeconds", Node(String(pod.activeDeadlineSeconds), Tag(.int))),
            ("terminationGracePeriodSeconds", Node(String(pod.terminationGracePeriodSeconds), Tag(.int))),
            ("automountServiceAccountToken", Node("false", Tag(.bool))),
            ("enableServiceLinks", Node("false", Tag(.bool))),
        ]
        if pod.shareProcessNamespace { spec.append(("shareProcessNamespace", Node("true", Tag(.bool)))) }
        if let runtimeClass = pod.runtimeClass { spec.append(("runtimeClassName", Node(runtimeClass))) }
        if let node = pod.nodeName { spec.append(("nodeName", Node(node))) }
        if !pod.nodeSelector.isEmpty { spec.append(("nodeSelector", map(pod.nodeSelector.map { ($0.key, Node($0.value)) }))) }
        if let runLabel = pod.sameNodeAs { spec.append(("affinity", sameNode(runLabel))) }
        if let secret = pod.imagePullSecret { spec.append(("imagePullSecrets", [map([("name", Node(secret))])])) }
        spec.append(("securityContext", map([
            ("runAsNonRoot", Node("true", Tag(.bool))),
            ("runAsUser", Node(String(pod.user), Tag(.int))),
            ("runAsGroup", Node(String(pod.user), Tag(.int))),
            ("fsGroup", Node(String(pod.user), Tag(.int))),
            ("seccompProfile", map([("type", "RuntimeDefault")])),
        ])))
        if !pod.volumes.isEmpty {
            spec.append(("volumes", Node(pod.volumes.map { volume in
                map([("name", Node(volume.name)), ("emptyDir", volume.inMemory ? map([("medium", "Memory")]) : map([]))])
            })))
        }
        spec.append(("containers", Node(pod.containers.map(container))))
        var metadata: [(String, Node)] = [
            ("name", Node(pod.name)),
            ("labels", map(pod.labels.map { ($0.key, Node($0.value)) })),
        ]
        if !pod.annotations.isEmpty {
            metadata.append(("annotations", map(pod.annotations.map { ($0.key, Node($0.value, Tag(.str), .doubleQuoted)) })))
        }
        return map([
            ("apiVersion", "v1"),
            ("kind", "Pod"),
            ("metadata", map(metadata)),
            ("spec", map(spec)),
        ])
    }

    /// The pods of one scenario run on one node: pods on different machines share nothing
    /// whatever the runtime does, so their isolation checks would prove nothing. Each pod asks
    /// for the node of its run's other pods; the first one scheduled goes anywhere.
    static func sameNode(_ runLabel: String) -> Node {
        let term = map([
            ("labelSelector", map([("matchLabels", map([(PodbenchLabel.run.rawValue, Node(runLabel))]))])),
            ("topologyKey", "kubernetes.io/hostname"),
        ])
        return map([("podAffinity", map([("requiredDuringSchedulingIgnoredDuringExecution", [term])]))])
    }

    static func container(_ container: PodPlan.Container) -> Node {
        var security: [(String, Node)] = [
            ("allowPrivilegeEscalation", Node("false", Tag(.bool))),
            ("readOnlyRootFilesystem", Node("true", Tag(.bool))),
        ]
        if container.runsAsRoot {
            security += [("runAsNonRoot", Node("false", Tag(.bool))), ("runAsUser", Node("0", Tag(.int)))]
        }
        var capabilities: [(String, Node)] = [("drop", ["ALL"])]
        if !container.addedCapabilities.isEmpty {
            capabilities.append(("add", Node(container.addedCapabilities.map { Node($0) })))
        }
        security.append(("capabilities", map(capabilities)))
        var fields: [(String, Node)] = [
            ("name", Node(container.name)),
            ("image", Node(container.image)),
            ("imagePullPolicy", Node(container.pullPolicy.rawValue)),
            ("command", Node(container.command.map { Node($0) })),
            ("args", Node(container.arguments.map { Node($0, Tag(.str), .doubleQuoted) })),
            ("resources", map([
                ("requests", map([("cpu", Node(container.requests.cpu)), ("memory", Node(container.requests.memory))])),
                ("limits", map([("cpu", Node(container.limits.cpu)), ("memory", Node(container.limits.memory))])),
            ])),
            ("securityContext", map(security)),
        ]
        if !container.mounts.isEmpty {
            fields.append(("volumeMounts", Node(container.mounts.map { mount in
                var entry: [(String, Node)] = [("name", Node(mount.volume)), ("mountPath", Node(mount.path))]
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
