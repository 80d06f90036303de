import PodbenchProbeInterface

extension ContainerSpec {
    /// The pod whose address its probe reaches (an echo client's `peer-pod`), if any.
    public var peer: String? {
        guard probe == EchoClientRole.spec.role else { return nil }
        return args.first { $0.name == EchoClientRole.peer.spec.name }?.value
    }
}

extension Scenario {
    /// Whether a probe reaches another pod at the pod's address: only a runtime that gives pods
    /// addresses (podman, the CRI with a pod network, Kubernetes) can run it.
    public var reachesPodAddresses: Bool {
        pods.contains { $0.containers.contains { $0.peer != nil } }
    }

    /// The pods in the groups they start in: a pod whose probe reaches another pod's address
    /// starts in a group after that pod's, once the pod has its address (a peer is always listed
    /// earlier). Without peers, one group of every pod.
    public var startGroups: [[PodSpec]] {
        var group: [String: Int] = [:]
        var groups: [[PodSpec]] = []
        for pod in pods {
            let index = pod.containers.compactMap { $0.peer.flatMap { group[$0] } }.max().map { $0 + 1 } ?? 0
            group[pod.name] = index
            while groups.count <= index { groups.append([]) }
            groups[index].append(pod)
        }
        return groups
    }

    /// The pods whose address a later pod's probe needs.
    public var addressedPods: Set<String> {
        Set(pods.flatMap { $0.containers.compactMap(\.peer) })
    }
}
