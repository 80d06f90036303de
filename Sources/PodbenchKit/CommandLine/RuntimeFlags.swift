import Foundation
import PodbenchCore
import PodbenchRuntime
import PodbenchSystem

/// Where `run` runs pods, and each runtime's own flags: mapped to the runtimes of a plan, one
/// per variant of a matrix.
public struct RuntimeFlags: Sendable {
    public var runtime = RuntimeKind.local
    public var pods = PodFlags()
    /// podman's OCI runtimes, a comma list of names or absolute paths: a run each.
    public var ociRuntime: String?
    public var cluster = ClusterFlags()
    public var cri = CRIFlags()
    /// The podbench-probe executable; nil: $PODBENCH_PROBE, else the one beside podbench.
    public var probe: String?
    /// Whether capture probes' packet captures are kept.
    public var capture = false
    /// Whether each latency between containers is measured beside its host twin.
    public var calibrate = false

    public init() {}

    /// Throws what is wrong: a flag of another runtime, which would be ignored, or an OCI
    /// runtime that is not one.
    public func validate() throws(UsageError) {
        let given = pods.given + cluster.given + cri.given + flagsGiven(["--oci-runtime": ociRuntime != nil, "--probe": probe != nil, "--capture": capture, "--calibrate": calibrate])
        if let problem = RuntimeRegistry.misplaced(given, on: runtime) { throw UsageError(problem) }
        for name in ociRuntimes {
            if name.hasPrefix("/") {
                guard FileManager.default.isExecutableFile(atPath: name) else {
                    throw UsageError("--oci-runtime '\(name)' is not an executable file; give an OCI runtime's name (runc, crun) or the absolute path of its executable.")
                }
            } else if !FlagValues.isPlainName(name) {
                throw UsageError("--oci-runtime '\(name)' is not an OCI runtime name (runc, crun) nor an absolute path.")
            }
        }
    }

    /// podman's OCI runtimes, runc by default.
    private var ociRuntimes: [String] { ociRuntime.map(FlagValues.commaList) ?? ["runc"] }

    /// What the runtimes are told; captures go to a directory beside `database`.
    func settings(database: String, console: Console) -> RuntimeSettings {
        var settings = RuntimeSettings()
        settings.probePath = probe ?? ProcessInfo.processInfo.environment["PODBENCH_PROBE"] ?? Podbench.sibling("podbench-probe")
        if capture {
            settings.capturesDirectory = ((database as NSString).deletingLastPathComponent as NSString).appendingPathComponent("captures")
        }
        settings.manifest = pods.manifest
        settings.ociRuntimes = ociRuntimes
        settings.kubectl = cluster.connection.client
        settings.runtimeClasses = cluster.runtimeClasses
        settings.createNamespace = cluster.createNamespace
        settings.keep = cluster.keep
        settings.criEndpoint = cri.connection.endpoint
        settings.criHandlers = cri.handlers
        settings.note = { console.print($0.terminalSafe) }
        return settings
    }

    /// The runtimes a run uses, a variant each.
    func runtimes(database: String, console: Console) -> [any PodRuntime] {
        RuntimeRegistry.forRun(runtime, settings(database: database, console: console))
    }

    /// The host runtime that measures the floor under the pods' latencies, under `calibrate`.
    func twin(database: String, console: Console) -> (any PodRuntime)? {
        calibrate ? RuntimeRegistry.forRun(.host, settings(database: database, console: console)).first : nil
    }
}
