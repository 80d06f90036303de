/// The volume-writer role: its spec, parameters, checks.
public enum VolumeWriterRole {
    public static let spec = ProbeSpec(
        role: "volume-writer",
        summary: "Appends a stamped, checksummed line to a file on a shared volume every interval.",
        parameters: [path, count, interval, wait, Sharing.parameter] + Placement.parameters,
        checks: [.volumeWritten, .volumeIsolated],
        staysForOthers: true
    )
    public static let path = Parameter.path("path", "the file to append to, inside a volume mount")
    public static let count = Parameter.integer("count", 1...1_000_000, default: "20", "how many lines to write", scaling: .measurement)
    public static let interval = Parameter.duration("interval", default: "50ms", "the pause between lines")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the reader to be ready", scaling: .waiting)
}

extension CheckName {
    public static let volumeWritten = CheckName("volume.written")
    /// The volume is not shared with the peer in another pod (the writer and the reader both
    /// report it).
    public static let volumeIsolated = CheckName("volume.isolated")
}
