/// The sysv-producer role (the seed's mc2 producer): its spec and parameters.
public enum SysVProducerRole {
    public static let spec = ProbeSpec(
        role: "sysv-producer",
        summary: "Creates a System V message queue, sends random messages then 'done', and times a ping-pong.",
        parameters: SysVQueueParameters.all + [interval, rounds, warmup, Turns.parameter],
        checks: [.sysvQueueCreated, .sysvRoundTrip],
        metrics: [.sysvRoundTrip],
        pairing: SysVQueueParameters.pairing(.server)
    )
    public static let interval = Parameter.duration("interval", default: "1ms", "the pause between random messages")
    public static let rounds = Parameter.integer("rounds", 0...10_000_000, default: "2000", "timed ping-pong round trips", scaling: .measurement)
    public static let warmup = Parameter.integer("warmup", 0...1_000_000, default: "200", "untimed round trips first")
}
