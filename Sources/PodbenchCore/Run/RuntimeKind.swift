/// The kinds of runtime podbench runs pods on; each run is stored under its kind's name.
public enum RuntimeKind: String, Sendable, CaseIterable, Comparable {
    /// Real Linux namespaces on this machine, made by podbench itself.
    case local
    /// podman kube play, under an OCI runtime.
    case podman
    /// A Kubernetes cluster, through kubectl.
    case kubernetes
    /// A CRI runtime (containerd, CRI-O) driven as the kubelet drives it, over gRPC.
    case cri
    /// Plain processes on this machine, no pod: the floor under every pod's figures.
    case host

    public static func < (a: Self, b: Self) -> Bool {
        a.rawValue < b.rawValue
    }
}
