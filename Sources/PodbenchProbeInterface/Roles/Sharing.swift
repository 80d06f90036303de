/// Whether the pod shares a channel (what a scenario expects of containers of one pod) or
/// isolates it (what it expects of two pods).
public enum Sharing: String, CaseIterable, Sendable {
    case shared, isolated

    public static let parameter = Parameter<Sharing>.choice("expect", default: .shared, "shared: the peer must be reachable (one pod); isolated: it must not be (two pods)")
}
