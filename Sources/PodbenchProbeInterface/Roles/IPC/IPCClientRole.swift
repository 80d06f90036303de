/// The ipc-client role: its spec and parameters.
public enum IPCClientRole {
    public static let spec = ProbeSpec(
        role: "ipc-client",
        summary: "Opens the server's IPC channel by key or name and times a ping-pong through it.",
        parameters: [IPCChannelKind.parameter, IPCChannelKind.key, IPCChannelKind.size, Sharing.parameter,
                     wait, rounds, warmup, SequencingParameters.after, SequencingParameters.done, OpenLoop.rate, Turns.parameter] + Placement.parameters,
        checks: IPCChannelKind.allCases.flatMap { [$0.reachable, $0.isolated, $0.roundTrip, OpenLoop.rateCheck($0.rawValue)] },
        metrics: IPCChannelKind.allCases.flatMap { [$0.roundTripMetric(size: "SIZE"), OpenLoop.metric($0.roundTripMetric(size: "SIZE"))] },
        checkSelection: CheckSelection(IPCChannelKind.parameter) { [$0.reachable, $0.isolated, $0.roundTrip, OpenLoop.rateCheck($0.rawValue)] },
        pairing: IPCChannelKind.pairing(.client)
    )
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the server's channel", scaling: .waiting)
    public static let rounds = Parameter.integer("rounds", 1...10_000_000, default: "2000", "timed round trips", scaling: .measurement)
    public static let warmup = Parameter.integer("warmup", 0...1_000_000, default: "200", "untimed round trips first")
}
