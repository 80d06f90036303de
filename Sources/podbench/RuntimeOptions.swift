import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchRuntime
import PodbenchSystem

/// Where `run` runs pods, and each runtime's own options: mapped to the runtimes of a plan,
/// one per variant of a matrix.
struct RuntimeOptions: ParsableArguments {
    @Option(name: .long, help: "Where pods run: local (Linux namespaces on this machine), podman (podman kube play), kubernetes (kubectl, $KUBECONFIG), cri (containerd or CRI-O, driven as the kubelet does), or host (plain processes, no pod: the floor under every pod's figures).")
    var runtime = RuntimeKind.local

    @OptionGroup(title: "Real pods (podman, kubernetes)") var pods: PodOptions

    @Option(name: .long, help: ArgumentHelp("podman's OCI runtime, a name or an executable's absolute path; a comma list runs every scenario under each, a run each (runc,crun).", valueName: "names"))
    var ociRuntime: String?

    @OptionGroup(title: "Kubernetes") var cluster: ClusterOptions

    @OptionGroup(title: "CRI") var cri: CRIOptions

    @Option(name: .long, help: ArgumentHelp("The podbench-probe executable. Default: $PODBENCH_PROBE, else the one beside podbench.", valueName: "path"))
    var probe: String?

    @Flag(name: .long, help: "Keep the packet captures (.pcap) of capture probes in a captures directory beside the database.")
    var capture = false

    func validate() throws {
        // An option of another runtime would be ignored: say so rather than run without it.
        let given = pods.given + cluster.given + cri.given + flagsGiven(["--oci-runtime": ociRuntime != nil, "--probe": probe != nil, "--capture": capture])
        if let problem = RuntimeRegistry.misplaced(given, on: runtime) { throw ValidationError(problem) }
        for name in ociRuntimes {
            if name.hasPrefix("/") {
                guard FileManager.default.isExecutableFile(atPath: name) else {
                    throw ValidationError("--oci-runtime '\(name)' is not an executable file; give an OCI runtime's name (runc, crun) or the absolute path of its executable.")
                }
            } else if !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                throw ValidationError("--oci-runtime '\(name)' is not an OCI runtime name (runc, crun) nor an absolute path.")
            }
        }
    }

    /// The probe executable the local and host runtimes run.
    private var probePath: String {
        probe ?? ProcessInfo.processInfo.environment["PODBENCH_PROBE"] ?? Podbench.sibling("podbench-probe")
    }

    /// podman's OCI runtimes, runc by default.
    private var ociRuntimes: [String] { ociRuntime.map(commaList) ?? ["runc"] }

    /// What the runtimes are told; captures go to a directory beside `database`.
    func settings(database: String, console: Console) -> RuntimeSettings {
        var settings = RuntimeSettings()
        settings.probePath = probePath
        if capture {
            settings.capturesDirectory = ((database as NSString).deletingLastPathComponent as NSString).appendingPathComponent("captures")
        }
        settings.manifest = pods.options
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
}
