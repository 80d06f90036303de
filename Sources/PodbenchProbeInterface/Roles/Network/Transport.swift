/// The loopback channels containers of a pod share through their network namespace.
public enum Transport: String, CaseIterable, Sendable {
    case tcp, udp, tcp6, udp6
    /// An abstract Unix socket: named outside any file system, scoped to the network namespace.
    case abstract
    /// Unix stream and datagram sockets at a path, such as on a shared volume.
    case unix, unixgram

    public static let parameter = Parameter<Transport>.choice("transport", default: .tcp, "tcp or udp on 127.0.0.1, tcp6 or udp6 on ::1, an abstract Unix stream socket, or a Unix stream (unix) or datagram (unixgram) socket at a path")
    public static let port = Parameter.integer("port", 1...65535, default: "5201", "the port (for abstract: the socket is named podbench-PORT)")
    public static let path = Parameter.optionalPath("path", "the socket's path, inside a volume mount (unix and unixgram only)")

    /// An echo server and its clients meet on a transport, port and path, with messages of one
    /// size (each side declares its own `size`, with the same name).
    static func pairing(_ side: Pairing.Side, size: Parameter<Int>) -> Pairing {
        Pairing("echo", side, meetsOn: [parameter, port, path], agreesOn: [size])
    }

    /// The echo client reached the server.
    public var reachable: CheckName { CheckName("\(rawValue).reachable") }
    /// The echo client found no server, as expected of another pod.
    public var isolated: CheckName { CheckName("\(rawValue).isolated") }
    /// Every round trip with the echo server was answered.
    public var roundTrip: CheckName { CheckName("\(rawValue).round-trip") }
    /// The echo server echoed the client's messages.
    public var served: CheckName { CheckName("\(rawValue).served") }

    /// The echo client's connect latency (stream transports).
    public var connectMetric: MetricName { MetricName("\(rawValue).connect") }
    /// The echo client's round-trip latency.
    public var roundTripMetric: MetricName { MetricName("\(rawValue).round-trip") }
}
