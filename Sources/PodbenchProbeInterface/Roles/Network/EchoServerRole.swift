/// The echo-server role: its spec and parameters.
public enum EchoServerRole {
    public static let spec = ProbeSpec(
        role: "echo-server",
        summary: "Echoes a client's messages on 127.0.0.1, ::1, an abstract Unix socket, a Unix socket at a path, or the pod's own addresses.",
        parameters: [Transport.parameter, Transport.port, Transport.path, listen, Sharing.parameter, size, wait] + Placement.parameters,
        checks: Transport.allCases.map(\.served),
        staysForOthers: true,
        checkSelection: CheckSelection(Transport.parameter) { [$0.served] },
        pairing: Transport.pairing(.server, size: size)
    )
    public static let size = Parameter.integer("size", 8...65000, default: "64", "the message size in bytes, as the client's")
    public static let listen = Parameter<ListenScope>.choice("listen", default: .loopback, "loopback: only the pod's own containers reach it; pod: every address of the pod, where other pods reach it (tcp, udp, tcp6 and udp6)")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the client", scaling: .waiting)
}

/// Where an echo server listens.
public enum ListenScope: String, CaseIterable, Sendable {
    /// 127.0.0.1 or ::1: the pod's own containers only.
    case loopback
    /// Every address of the pod (0.0.0.0 or ::): other pods reach it at the pod's address.
    case pod
}
