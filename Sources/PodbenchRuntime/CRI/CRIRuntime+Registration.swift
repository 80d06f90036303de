import Foundation
import PodbenchCore

extension CRIRuntime: RegisteredRuntime {
    public static let kind = RuntimeKind.cri
    public static let flags: Set<String> = ["--probe-image", "--pod-security", "--cri-endpoint", "--runtime-handler"]
    public static let holdsRunDirectories = true
    public static let cleanedWithAll = true

    public static func forRun(_ settings: RuntimeSettings) -> [CRIRuntime] {
        settings.criHandlers.map { CRIRuntime(endpoint: settings.criEndpoint, handler: $0, options: manifest(settings)) }
    }

    public static func forCleanup(_ settings: RuntimeSettings) -> CRIRuntime? {
        CRIRuntime(endpoint: settings.criEndpoint, options: manifest(settings))
    }

    /// Where the endpoint is a socket.
    public static func reachable(_ settings: RuntimeSettings) -> Bool {
        var info = stat()
        return stat(settings.criEndpoint.path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    private static func manifest(_ settings: RuntimeSettings) -> ManifestOptions {
        var options = settings.manifest
        options.engine = .kubernetes
        return options
    }
}
