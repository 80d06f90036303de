/// The file-watcher role: its spec, parameters, checks.
public enum FileWatcherRole {
    public static let spec = ProbeSpec(
        role: "file-watcher",
        summary: "Rereads a file published on a volume; checks it is never half-written and the last version is intact.",
        parameters: [path, count, size, wait],
        checks: [.volumeRenameAtomic, .volumeChecksum]
    )
    public static let path = Parameter.path("path", "the published file, inside a volume mount")
    public static let count = Parameter.integer("count", 1...100_000, default: "100", "how many versions the publisher publishes")
    public static let size = Parameter.integer("size", 64...1_073_741_824, default: "65536", "each file's size in bytes, as the publisher's")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for a new version before giving up", scaling: .waiting)
}

extension CheckName {
    /// No read found a half-written file.
    public static let volumeRenameAtomic = CheckName("volume.rename-atomic")
    /// The last version arrived intact.
    public static let volumeChecksum = CheckName("volume.checksum")
}
