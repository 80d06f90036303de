import PodbenchCore
import PodbenchSystem

extension PodmanRuntime: RegisteredRuntime {
    public static let kind = RuntimeKind.podman
    public static let flags: Set<String> = ["--oci-runtime", "--probe-image", "--pod-security"]
    public static let holdsRunDirectories = true
    public static let cleanedWithAll = true

    public static func forRun(_ settings: RuntimeSettings) -> [PodmanRuntime] {
        settings.ociRuntimes.map { PodmanRuntime(options: manifest(settings), ociRuntime: $0) }
    }

    public static func forCleanup(_ settings: RuntimeSettings) -> PodmanRuntime? {
        PodmanRuntime(options: manifest(settings))
    }

    /// Where podman is installed.
    public static func reachable(_ settings: RuntimeSettings) -> Bool {
        Podbench.onPath("podman")
    }

    private static func manifest(_ settings: RuntimeSettings) -> ManifestOptions {
        var options = settings.manifest
        options.engine = .podman
        return options
    }
}
