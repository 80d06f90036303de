import ArgumentParser
import PodbenchKit

/// How pods are made on podman, Kubernetes and the CRI: the image, PodSecurity, placement.
struct PodOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The probe image. Default: $PODBENCH_PROBE_IMAGE, else the one 'podbench image build' makes.", valueName: "ref"))
    var probeImage: String?

    @Option(name: .long, help: "The PodSecurity level pods must pass: restricted (the default), or privileged for scenarios that need capabilities (the capture probe's NET_RAW).")
    var podSecurity: PodSecurity?

    @Option(name: .long, help: ArgumentHelp("A Secret for pulling the probe image (Kubernetes).", valueName: "name"))
    var imagePullSecret: String?

    @Option(name: .long, help: ArgumentHelp("Run the pods on this node (Kubernetes).", valueName: "name"))
    var node: String?

    @Option(name: .long, help: ArgumentHelp("Place the pods by node label (repeatable, Kubernetes).", valueName: "key=value"))
    var nodeSelector: [String] = []

    var flags: PodFlags {
        PodFlags(probeImage: probeImage, podSecurity: podSecurity, imagePullSecret: imagePullSecret, node: node, nodeSelector: nodeSelector)
    }

    func validate() throws {
        try usage(flags.validate)
    }
}
