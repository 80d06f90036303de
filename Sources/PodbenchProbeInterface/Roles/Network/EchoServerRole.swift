/// The echo-server role: its spec and parameters.
public enum EchoServerRole {
    public static let spec = ProbeSpec(
        role: "echo-server",
        summary: "Echoes a client's messages on 127.0.0.1, ::1, an abstract Unix socket or a Unix socket at a path.",
        parameters: [Transport.parameter, Transport.port, Transport.path, Sharing.parameter, size, wait] + Placement.parameters,
        checks: Transport.allCases.map(\.served),
        staysForOthers: true
    )
    public static let size = Parameter.integer("size", 8...65000, default: "64", "the message size in bytes, as the client's")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the client", scaling: .waiting)
}
