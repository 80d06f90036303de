/// The mmap-pingpong role: its spec, parameters, checks and metrics.
public enum MmapPingPongRole {
    public static let spec = ProbeSpec(
        role: "mmap-pingpong",
        summary: "Ping-pong through a MAP_SHARED mapping of a file on a volume, both sides spinning.",
        parameters: [path, side, rounds, warmup, wait] + Placement.parameters,
        checks: [.volumeMmapShared],
        metrics: [.volumeMmapRoundTrip]
    )
    public static let path = Parameter.path("path", "the mapped file, inside a volume mount")
    public static let side = Parameter<Side>.choice("side", default: nil, "server: creates the file and answers; client: maps it and times the round trips")
    public static let rounds = Parameter.integer("rounds", 1...100_000_000, default: "20000", "timed round trips (client)", scaling: .measurement)
    public static let warmup = Parameter.integer("warmup", 0...10_000_000, default: "2000", "untimed round trips first (client)")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the other side", scaling: .waiting)

    /// Which end of the ping-pong this container is.
    public enum Side: String, CaseIterable, Sendable {
        case server, client
    }
}

extension CheckName {
    public static let volumeMmapShared = CheckName("volume.mmap-shared")
}

extension MetricName {
    public static let volumeMmapRoundTrip = MetricName("volume.mmap-round-trip")
}
