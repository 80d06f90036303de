/// The echo-client role: its spec and parameters.
public enum EchoClientRole {
    public static let spec = ProbeSpec(
        role: "echo-client",
        summary: "Times connects and a ping-pong with the echo server on 127.0.0.1, ::1, an abstract Unix socket, a Unix socket at a path, or another pod's address.",
        parameters: [Transport.parameter, Transport.port, Transport.path, peer, peerAddress, Sharing.parameter, size, wait,
                     SequencingParameters.after, SequencingParameters.done, connects, rounds, warmup, OpenLoop.rate, Turns.parameter] + Placement.parameters,
        checks: Transport.allCases.flatMap { [$0.reachable, $0.isolated, $0.roundTrip, OpenLoop.rateCheck($0.rawValue)] },
        metrics: Transport.allCases.flatMap { [$0.connectMetric, $0.roundTripMetric, OpenLoop.metric($0.roundTripMetric)] },
        checkSelection: CheckSelection(Transport.parameter) { [$0.reachable, $0.isolated, $0.roundTrip, OpenLoop.rateCheck($0.rawValue)] },
        pairing: Transport.pairing(.client, size: size)
    )
    public static let peer = Parameter.optionalName("peer-pod", "another pod of the scenario, listed before this one, whose server to reach at that pod's address instead of the loopback (tcp, udp, tcp6, udp6; the server listens on pod)")
    public static let peerAddress = Parameter.runtimeAddress("peer-address", "the peer pod's address, which the runtime gives from peer-pod once that pod has one")
    public static let size = Parameter.integer("size", 8...65000, default: "64", "the message size in bytes (at least 8: each carries its round's number)")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the server", scaling: .waiting)
    public static let connects = Parameter.integer("connects", 0...1_000_000, default: "200", "timed connects (stream transports)", scaling: .measurement)
    public static let rounds = Parameter.integer("rounds", 1...10_000_000, default: "2000", "timed round trips", scaling: .measurement)
    public static let warmup = Parameter.integer("warmup", 0...1_000_000, default: "200", "untimed round trips first")
}
