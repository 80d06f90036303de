import PodbenchCore

extension HostRuntime: RegisteredRuntime {
    public static let kind = RuntimeKind.host
    public static let flags: Set<String> = ["--probe"]

    public static func forRun(_ settings: RuntimeSettings) -> [HostRuntime] {
        [HostRuntime(probePath: settings.probePath)]
    }
}
