import PodbenchCore

extension LocalRuntime: RegisteredRuntime {
    public static let kind = RuntimeKind.local
    public static let flags: Set<String> = ["--probe", "--capture", "--calibrate"]

    public static func forRun(_ settings: RuntimeSettings) -> [LocalRuntime] {
        var local = LocalRuntime(probePath: settings.probePath)
        local.capturesDirectory = settings.capturesDirectory
        return [local]
    }
}
