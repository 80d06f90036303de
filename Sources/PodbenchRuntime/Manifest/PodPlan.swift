import PodbenchCore
import PodbenchProbeInterface

/// The pods of one scenario as podbench makes them on a real engine, every decision of policy
/// taken once: names and labels, the user, security context and limits, deadlines and
/// placement. The YAML renderer (`PodManifest`: podman, Kubernetes, `podbench render`) writes
/// it out; a runtime that does not speak YAML reads it as it is.
public struct PodPlan: Sendable {
    public var pods: [Pod]

    /// One pod.
    public struct Pod: Sendable {
        /// The scenario's pod name with the run's label (`PodManifest.podName`).
        public var name: String
        /// The scenario's pod name.
        public var hostname: String
        /// podbench's labels: the app, the run (found and removed by it), the scenario.
        public var labels: [(key: String, value: String)]
        /// The scenario's annotations.
        public var annotations: [(key: String, value: String)]
        /// The probes' own deadline, whole seconds (the scenario's timeout, rounded up).
        public var probeDeadlineSeconds: UInt64
        /// When the engine stops a pod that outlives the probes' deadline.
        public var activeDeadlineSeconds: UInt64 { probeDeadlineSeconds + 30 }
        public var terminationGracePeriodSeconds = 5
        public var shareProcessNamespace: Bool
        public var runtimeClass: String?
        public var nodeName: String?
        public var nodeSelector: [(key: String, value: String)]
        /// The run label whose pods this one must share a node with (several pods on
        /// Kubernetes, unless pinned to a node): isolation between machines proves nothing.
        public var sameNodeAs: String?
        public var imagePullSecret: String?
        /// The user, group and volume group the pod's containers run as: nobody.
        public var user: Int
        public var volumes: [Volume]
        public var containers: [Container]
    }

    /// An emptyDir.
    public struct Volume: Sendable {
        /// Unique to the run on podman, where an emptyDir is a named podman volume.
        public var name: String
        /// `medium: Memory`: a tmpfs.
        public var inMemory: Bool
    }

    /// One container: a probe.
    public struct Container: Sendable {
        public enum PullPolicy: String, Sendable {
            case never = "Never", ifNotPresent = "IfNotPresent"
        }

        public var name: String
        public var image: String
        public var pullPolicy: PullPolicy
        /// The probe executable, then its arguments (`--deadline`, the role and its parameters).
        public var command: [String]
        public var arguments: [String]
        public var requests: (cpu: String, memory: String)
        public var limits: (cpu: String, memory: String)
        /// Capabilities added to none (every one is dropped); only under PodSecurity privileged.
        public var addedCapabilities: [String]
        /// Whether the container runs as root instead of the pod's user: on Kubernetes only
        /// root keeps added capabilities across exec.
        public var runsAsRoot: Bool
        public var mounts: [Mount]
        /// The pod (its scenario name) whose address the probe reaches, passed as
        /// `--peer-address` once that pod has one (`Pod.addressed`).
        public var peer: String?
    }

    public struct Mount: Sendable {
        public var volume: String
        public var path: String
        public var readOnly: Bool
    }

    /// The plan of `scenario`'s pods under `options`.
    public init(_ scenario: Scenario, _ options: ManifestOptions) {
        let deadline = scenario.deadlineSeconds
        let sameNode = scenario.pods.count > 1 && options.engine == .kubernetes && options.nodeName == nil
        pods = scenario.pods.map { pod in
            Pod(
                name: PodManifest.podName(pod, options), hostname: pod.name,
                labels: [(PodbenchLabel.name.rawValue, PodbenchLabel.podbench), (PodbenchLabel.managedBy.rawValue, PodbenchLabel.podbench),
                         (PodbenchLabel.run.rawValue, options.runLabel), (PodbenchLabel.scenario.rawValue, scenario.name)],
                annotations: pod.annotations,
                probeDeadlineSeconds: deadline, shareProcessNamespace: pod.shareProcessNamespace,
                runtimeClass: options.runtimeClass, nodeName: options.nodeName, nodeSelector: options.nodeSelector,
                sameNodeAs: sameNode ? options.runLabel : nil, imagePullSecret: options.imagePullSecret, user: PodManifest.user,
                volumes: pod.volumes.map { Volume(name: PodManifest.volumeName($0.name, options), inMemory: $0.medium == .memory) },
                containers: pod.containers.map { Self.container($0, deadline: deadline, options) })
        }
    }

    private static func container(_ container: ContainerSpec, deadline: UInt64, _ options: ManifestOptions) -> Container {
        let capabilities = options.podSecurity == .privileged ? container.addedCapabilities : []
        return Container(
            name: container.name, image: options.image, pullPolicy: options.image.hasPrefix("localhost/") ? .never : .ifNotPresent,
            command: [PodManifest.probePath], arguments: ["--deadline", "\(deadline)s"] + container.probeArguments,
            requests: (cpu: "50m", memory: "32Mi"), limits: PodManifest.containerLimits,
            addedCapabilities: capabilities,
            // podman gives added capabilities to any user (ambient), and there the pod's user must
            // stay, since a podman volume belongs to the user of the first container that mounts it.
            runsAsRoot: !capabilities.isEmpty && options.engine == .kubernetes,
            mounts: container.volumeMounts.map { Mount(volume: PodManifest.volumeName($0.name, options), path: $0.mountPath, readOnly: $0.readOnly) },
            peer: container.peer)
    }

    /// The pods in the groups they start in (`Scenario.startGroups`).
    public func startGroups(_ scenario: Scenario) -> [[Pod]] {
        scenario.startGroups.map { group in group.compactMap { spec in pods.first { $0.hostname == spec.name } } }
    }
}

extension PodPlan.Pod {
    /// The pod with its peers' addresses (by the scenario's pod names) passed to the probes that
    /// reach them; a runtime has found every address its pod's peers have before it makes it.
    public func addressed(_ addresses: [String: IPAddress]) -> PodPlan.Pod {
        var pod = self
        for index in pod.containers.indices {
            guard let peer = pod.containers[index].peer, let address = addresses[peer] else { continue }
            pod.containers[index].arguments += ["--" + EchoClientRole.peerAddress.spec.name, address.description]
        }
        return pod
    }

    /// Whether another pod's probe reaches this one at its address.
    public func isAddressed(in scenario: Scenario) -> Bool {
        scenario.addressedPods.contains(hostname)
    }
}
