import ArgumentParser
import PodbenchKit

/// Where `run` runs pods, and each runtime's own options.
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

    @Flag(name: .long, help: "Measure each latency between containers beside its host twin, the same probes as plain processes taking turns with it every millisecond (where they cannot, right before and right after it): reports show the pod's overhead with its interval, and the gate judges the overhead where both runs have it (docs/regression-gate.md).")
    var calibrate = false

    var flags: RuntimeFlags {
        var flags = RuntimeFlags()
        flags.runtime = runtime
        flags.pods = pods.flags
        flags.ociRuntime = ociRuntime
        flags.cluster = cluster.flags
        flags.cri = cri.flags
        flags.probe = probe
        flags.capture = capture
        flags.calibrate = calibrate
        return flags
    }

    func validate() throws {
        try usage(flags.validate)
    }
}
