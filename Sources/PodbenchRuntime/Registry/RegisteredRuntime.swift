import PodbenchCore

/// A runtime as podbench's commands reach it: its kind, the flags that mean something on it,
/// the runtimes a run uses and the one `podbench cleanup` uses. Each runtime says so in its own
/// folder (`+Registration`), and `RuntimeRegistry.all` lists it: no other table to edit.
public protocol RegisteredRuntime: PodRuntime {
    /// The kind `--runtime` names it by.
    static var kind: RuntimeKind { get }
    /// The flags of `podbench run` and `podbench cleanup` that mean something on this runtime:
    /// given with another runtime they are refused, not ignored.
    static var flags: Set<String> { get }
    /// Whether each run of a scenario holds a locked run directory named after its run label
    /// (`LockedDirectory.makeRunDirectory`), by which cleanup leaves a run still going alone.
    static var holdsRunDirectories: Bool { get }
    /// The runtimes a run uses: one per variant of a matrix (OCI runtime, RuntimeClass, CRI
    /// handler).
    static func forRun(_ settings: RuntimeSettings) -> [Self]
    /// The runtime whose `removeLeftovers` `podbench cleanup` calls; nil where the temporary
    /// directories are all its runs leave (their namespaces and IPC objects end with their
    /// processes).
    static func forCleanup(_ settings: RuntimeSettings) -> Self?
    /// Whether `podbench cleanup --runtime all` looks for it on this machine (podman, the CRI);
    /// a cluster is never cleaned unless named.
    static var cleanedWithAll: Bool { get }
    /// Whether this machine reaches it now (podman is installed, the CRI's endpoint is a
    /// socket), for `cleanup --runtime all`.
    static func reachable(_ settings: RuntimeSettings) -> Bool
}

extension RegisteredRuntime {
    public static var holdsRunDirectories: Bool { false }
    public static func forCleanup(_ settings: RuntimeSettings) -> Self? { nil }
    public static var cleanedWithAll: Bool { false }
    public static func reachable(_ settings: RuntimeSettings) -> Bool { false }
}
