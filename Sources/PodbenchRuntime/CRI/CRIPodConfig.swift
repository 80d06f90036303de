import PodbenchCRI

/// A `PodPlan`'s pod and containers as the kubelet hands them to the CRI: the same policy as
/// the manifests podman and Kubernetes apply (non-root, no privilege escalation, every
/// capability dropped, seccomp RuntimeDefault, read-only root, the probes' limits).
enum CRIPodConfig {
    /// The namespace sandboxes are filed under (the CRI's metadata, not a Kubernetes object).
    static let namespace = "podbench"

    /// `volumes` maps each of the pod's volumes to its directory on the host.
    static func sandbox(_ pod: PodPlan.Pod, logDirectory: String, volumes: [String: String]) -> Runtime_V1_PodSandboxConfig {
        .with { config in
            config.metadata = .with {
                $0.name = pod.name
                $0.uid = pod.name
                $0.namespace = namespace
            }
            config.hostname = pod.hostname
            config.logDirectory = logDirectory
            config.labels = labels(pod)
            config.annotations = GVisorMountHints.completed(Dictionary(pod.annotations.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }), volumes: volumes)
            config.linux = .with { linux in
                linux.securityContext = .with {
                    $0.namespaceOptions = namespaces(pod)
                    $0.runAsUser = .with { $0.value = Int64(pod.user) }
                    $0.runAsGroup = .with { $0.value = Int64(pod.user) }
                    $0.supplementalGroups = [Int64(pod.user)]
                    $0.seccomp = .with { $0.profileType = .runtimeDefault }
                }
            }
        }
    }

    /// podbench's labels, on the sandbox and on each of its containers (the run is found by them).
    static func labels(_ pod: PodPlan.Pod) -> [String: String] {
        Dictionary(pod.labels.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// Network and IPC are the pod's; PID too when the pod shares its process namespace.
    static func namespaces(_ pod: PodPlan.Pod) -> Runtime_V1_NamespaceOption {
        .with {
            $0.network = .pod
            $0.ipc = .pod
            $0.pid = pod.shareProcessNamespace ? .pod : .container
        }
    }

    /// `volumes` maps each of the pod's volumes to its directory on the host.
    static func container(_ container: PodPlan.Container, of pod: PodPlan.Pod, volumes: [String: String]) -> Runtime_V1_ContainerConfig {
        .with { config in
            config.metadata = .with { $0.name = container.name }
            config.image = .with { $0.image = container.image }
            config.command = container.command
            config.args = container.arguments
            config.logPath = logPath(of: container.name)
            config.labels = labels(pod)
            config.mounts = container.mounts.compactMap { mount in
                volumes[mount.volume].map { host in
                    .with {
                        $0.containerPath = mount.path
                        $0.hostPath = host
                        $0.readonly = mount.readOnly
                    }
                }
            }
            config.linux = .with { linux in
                linux.resources = .with {
                    $0.cpuPeriod = 100_000
                    $0.cpuQuota = Int64(millicores(container.limits.cpu) * 100)
                    $0.cpuShares = Int64(max(2, millicores(container.requests.cpu) * 1024 / 1000))
                    $0.memoryLimitInBytes = Int64(bytes(container.limits.memory))
                }
                linux.securityContext = .with {
                    $0.namespaceOptions = namespaces(pod)
                    $0.capabilities = .with {
                        $0.dropCapabilities = ["ALL"]
                        $0.addCapabilities = container.addedCapabilities
                    }
                    $0.runAsUser = .with { $0.value = container.runsAsRoot ? 0 : Int64(pod.user) }
                    $0.runAsGroup = .with { $0.value = Int64(pod.user) }
                    $0.supplementalGroups = [Int64(pod.user)]
                    $0.readonlyRootfs = true
                    $0.noNewPrivs = true
                    $0.seccomp = .with { $0.profileType = .runtimeDefault }
                }
            }
        }
    }

    /// A container's log file, relative to its sandbox's log directory.
    static func logPath(of container: String) -> String {
        "\(container).log"
    }

    /// `1` or `500m` in thousandths of a CPU.
    static func millicores(_ quantity: String) -> Int {
        quantity.hasSuffix("m") ? Int(quantity.dropLast()) ?? 0 : (Int(quantity) ?? 0) * 1000
    }

    /// `256Mi` or `1Gi` in bytes.
    static func bytes(_ quantity: String) -> Int {
        let units: [(String, Int)] = [("Ki", 1 << 10), ("Mi", 1 << 20), ("Gi", 1 << 30)]
        for (suffix, factor) in units where quantity.hasSuffix(suffix) {
            return (Int(quantity.dropLast(2)) ?? 0) * factor
        }
        return Int(quantity) ?? 0
    }
}
