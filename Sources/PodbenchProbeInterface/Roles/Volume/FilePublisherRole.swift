/// The file-publisher role: its spec, parameters, checks.
public enum FilePublisherRole {
    public static let spec = ProbeSpec(
        role: "file-publisher",
        summary: "Publishes checksummed files on a volume by rename (or in place), for a watcher in another container.",
        parameters: [path, count, size, interval, publish, wait],
        checks: [.volumePublished]
    )
    public static let path = Parameter.path("path", "the published file, inside a volume mount")
    public static let count = Parameter.integer("count", 1...100_000, default: "100", "how many versions to publish")
    public static let size = Parameter.integer("size", 64...1_073_741_824, default: "65536", "each file's size in bytes (rounded up to 8)")
    public static let interval = Parameter.duration("interval", default: "2ms", "the pause between versions")
    public static let publish = Parameter<Publishing>.choice("publish", default: .rename, "rename: atomic; in-place: rewrite the file where it is")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the watcher", scaling: .waiting)
}

/// How the publisher puts each file in place.
public enum Publishing: String, CaseIterable, Sendable {
    /// Write a temporary file, then rename it over the published name: readers see whole files.
    case rename
    /// Rewrite the published file where it is: readers can see half-written files.
    case inPlace = "in-place"
}

extension CheckName {
    public static let volumePublished = CheckName("volume.published")
}
