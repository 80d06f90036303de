/// The process-peer role: its spec and parameters.
public enum ProcessPeerRole {
    public static let spec = ProbeSpec(
        role: "process-peer",
        summary: "Looks in /proc for a peer container's process (shareProcessNamespace), and stays to be seen.",
        parameters: [tag, peer, sync, Sharing.parameter, wait, hold, meet],
        checks: [.pidNamespace, .pidOwnProcesses]
    )
    public static let tag = Parameter.name("tag", "this container's tag, which the peer looks for")
    public static let peer = Parameter.name("peer", "the peer's tag")
    public static let sync = Parameter.optionalPath("sync", "a directory on a volume both mount: each leaves a marker there, looks only once the peer's is there (so an isolated look is not over before the peer runs), and stays until the peer has looked (so one look is enough)")
    public static let wait = Parameter.duration("wait", default: "2s", "how long to look (without sync; with it, one look settles an isolated peer)", scaling: .waiting)
    public static let hold = Parameter.duration("hold", default: "2s", "how long to stay visible (from the start), at most: with sync, until the peer has looked")
    public static let meet = Parameter.duration("meet", default: "10s", "how long to wait for the peer's marker in sync")
}

extension CheckName {
    /// Whether the peer's process is seen as the scenario expects: the PID namespace is shared
    /// (one pod with shareProcessNamespace) or not.
    public static let pidNamespace = CheckName("pid.namespace")
    /// Every process in /proc is the pod's own.
    public static let pidOwnProcesses = CheckName("pid.own-processes")
}
