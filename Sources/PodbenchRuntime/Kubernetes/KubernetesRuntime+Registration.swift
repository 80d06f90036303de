import PodbenchCore

extension KubernetesRuntime: RegisteredRuntime {
    public static let kind = RuntimeKind.kubernetes
    public static let flags: Set<String> = [
        "--probe-image", "--pod-security", "--image-pull-secret", "--node", "--node-selector",
        "--context", "--namespace", "--kubectl", "--create-namespace", "--runtime-class", "--keep",
    ]
    public static let holdsRunDirectories = true

    public static func forRun(_ settings: RuntimeSettings) -> [KubernetesRuntime] {
        settings.runtimeClasses.map { runtimeClass in
            var options = settings.manifest(for: .kubernetes)
            options.runtimeClass = runtimeClass
            var runtime = KubernetesRuntime(options: options, kubectl: settings.kubectl)
            runtime.createNamespace = settings.createNamespace
            runtime.keep = settings.keep
            runtime.note = settings.note
            return runtime
        }
    }

    public static func forCleanup(_ settings: RuntimeSettings) -> KubernetesRuntime? {
        KubernetesRuntime(options: settings.manifest(for: .kubernetes), kubectl: settings.kubectl)
    }
}
