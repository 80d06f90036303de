/// The volume-reader role: its spec, parameters, checks and metrics.
public enum VolumeReaderRole {
    public static let spec = ProbeSpec(
        role: "volume-reader",
        summary: "Follows a file on a shared volume; checks every line arrives in order and intact.",
        parameters: [path, count, poll, notify, wait, Sharing.parameter] + Placement.parameters,
        checks: [.volumeLinesSeen, .volumeInOrder, .volumeIntact, .volumeIsolated, .volumeInotify],
        metrics: [.volumeWriteToVisible, .volumeWriteToVisibleInotify]
    )
    public static let path = Parameter.path("path", "the file to follow, inside a volume mount")
    public static let count = Parameter.integer("count", 1...1_000_000, default: "20", "how many lines the writer writes", scaling: .measurement)
    public static let poll = Parameter.duration("poll", default: "20us", "the pause between reads that found nothing new")
    public static let notify = Parameter<Notify>.choice("notify", default: .poll, "how to learn of new lines: poll the file, or wait for inotify's IN_MODIFY")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the file and for each line", scaling: .waiting)

    /// How the reader learns of new lines.
    public enum Notify: String, CaseIterable, Sendable {
        case poll, inotify
    }
}

extension CheckName {
    public static let volumeLinesSeen = CheckName("volume.lines-seen")
    public static let volumeInOrder = CheckName("volume.in-order")
    public static let volumeIntact = CheckName("volume.intact")
    /// With inotify: every line was announced by an IN_MODIFY event.
    public static let volumeInotify = CheckName("volume.inotify")
}

extension MetricName {
    /// Writer to reader, from CLOCK_MONOTONIC stamps taken in two containers.
    public static let volumeWriteToVisible = MetricName("volume.write-to-visible")
    /// As `volumeWriteToVisible`, for lines the reader learnt of by inotify.
    public static let volumeWriteToVisibleInotify = MetricName("volume.write-to-visible-inotify")
}
