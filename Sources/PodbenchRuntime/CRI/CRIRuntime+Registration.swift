import PodbenchCore

extension CRIRuntime: RegisteredRuntime {
    public static let kind = RuntimeKind.cri
    public static let flags: Set<String> = ["--probe-image", "--pod-security", "--cri-endpoint", "--runtime-handler", "--calibrate"]
    public static let holdsRunDirectories = true
    public static let cleanedWithAll = true

    public static func forRun(_ settings: RuntimeSettings) -> [CRIRuntime] {
        settings.criHandlers.map { CRIRuntime(endpoint: settings.criEndpoint, handler: $0, options: settings.manifest(for: .kubernetes)) }
    }

    public static func forCleanup(_ settings: RuntimeSettings) -> CRIRuntime? {
        CRIRuntime(endpoint: settings.criEndpoint, options: settings.manifest(for: .kubernetes))
    }

    /// Where the endpoint is a socket.
    public static func reachable(_ settings: RuntimeSettings) -> Bool {
        settings.criEndpoint.isSocket
    }
}
