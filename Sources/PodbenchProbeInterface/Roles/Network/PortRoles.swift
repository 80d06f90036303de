/// The port-holder role: its spec and parameters.
public enum PortHolderRole {
    public static let spec = ProbeSpec(
        role: "port-holder",
        summary: "Binds a TCP or UDP port on 127.0.0.1 and holds it for a while.",
        parameters: [PortTransport.parameter, Transport.port, hold, until, wait],
        checks: [.netPortHeld],
        staysForOthers: true
    )
    public static let hold = Parameter.duration("hold", default: "2s", "how long to hold the port (at most, with until)")
    public static let until = Parameter.optionalPath("until", "let go once this file exists (the contender's done file), inside a volume mount")
    public static let wait = Parameter.duration("wait", default: "5s", "how long to retry while the port is busy", scaling: .waiting)
}

/// The port-contender role: its spec and parameters.
public enum PortContenderRole {
    public static let spec = ProbeSpec(
        role: "port-contender",
        summary: "Tries to bind the port another container holds; expects EADDRINUSE within a pod.",
        parameters: [PortTransport.parameter, Transport.port, Sharing.parameter, wait, SequencingParameters.done],
        checks: [.netPortSpace]
    )
    public static let wait = Parameter.duration("wait", default: "2s", "how long to try before concluding the port is free", scaling: .waiting)
}

extension CheckName {
    /// The holder bound the port and held it.
    public static let netPortHeld = CheckName("net.port-held")
    /// The contender found the port taken (one pod) or free (another pod).
    public static let netPortSpace = CheckName("net.port-space")
}

/// The transports of a port on 127.0.0.1 that the port probes hold and contend for.
public enum PortTransport: String, CaseIterable, Sendable {
    case tcp, udp

    public static let parameter = Parameter<PortTransport>.choice("transport", default: .tcp, "tcp or udp on 127.0.0.1")
}
