import PodbenchCRI

/// What podbench's commands were told about where pods run, for every runtime: each reads
/// what is its own (`RegisteredRuntime.forRun`, `forCleanup`).
public struct RuntimeSettings: Sendable {
    /// The probe executable the local and host runtimes run.
    public var probePath = ""
    /// Where the local runtime keeps packet captures; nil: not kept.
    public var capturesDirectory: String?
    /// How pods are made on podman, Kubernetes and the CRI (the engine and the RuntimeClass
    /// are each runtime's own).
    public var manifest = ManifestOptions(image: "", runLabel: "podbench")
    /// podman's OCI runtimes, a run each.
    public var ociRuntimes = ["runc"]
    /// How kubectl reaches the cluster.
    public var kubectl = Kubectl()
    /// The RuntimeClasses, a run each; nil is the cluster's default.
    public var runtimeClasses: [String?] = [nil]
    /// Whether a missing namespace is created.
    public var createNamespace = false
    /// Whether the pods are left for debugging.
    public var keep = false
    /// Where the CRI runtime answers.
    public var criEndpoint = CRIEndpoint.containerd
    /// The CRI runtime handlers, a run each; nil is the runtime's default.
    public var criHandlers: [String?] = [nil]
    /// Where a runtime's notes for the user go (the pods `--keep` left).
    public var note: @Sendable (String) -> Void = { _ in }

    public init() {}

    /// `manifest` as `engine` applies it.
    func manifest(for engine: ManifestOptions.Engine) -> ManifestOptions {
        var options = manifest
        options.engine = engine
        return options
    }
}
