import PodbenchCore
import PodbenchSystem

extension PodmanRuntime: RegisteredRuntime {
    public static let kind = RuntimeKind.podman
    public static let flags: Set<String> = ["--oci-runtime", "--probe-image", "--pod-security", "--calibrate"]
    public static let holdsRunDirectories = true
    public static let cleanedWithAll = true

    public static func forRun(_ settings: RuntimeSettings) -> [PodmanRuntime] {
        settings.ociRuntimes.map { PodmanRuntime(options: settings.manifest(for: .podman), ociRuntime: $0) }
    }

    public static func forCleanup(_ settings: RuntimeSettings) -> PodmanRuntime? {
        PodmanRuntime(options: settings.manifest(for: .podman))
    }

    /// Where podman is installed.
    public static func reachable(_ settings: RuntimeSettings) -> Bool {
        Podbench.onPath("podman")
    }
}
