import ArgumentParser
import Foundation
import PodbenchRuntime

/// How pods are made on podman, Kubernetes and the CRI: the image, PodSecurity, placement.
struct PodOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The probe image. Default: $PODBENCH_PROBE_IMAGE, else the one 'podbench image build' makes.", valueName: "ref"))
    var probeImage: String?

    @Option(name: .long, help: "The PodSecurity level pods must pass: restricted (the default), or privileged for scenarios that need capabilities (the capture probe's NET_RAW).")
    var podSecurity: ManifestOptions.PodSecurity?

    @Option(name: .long, help: ArgumentHelp("A Secret for pulling the probe image (Kubernetes).", valueName: "name"))
    var imagePullSecret: String?

    @Option(name: .long, help: ArgumentHelp("Run the pods on this node (Kubernetes).", valueName: "name"))
    var node: String?

    @Option(name: .long, help: ArgumentHelp("Place the pods by node label (repeatable, Kubernetes).", valueName: "key=value"))
    var nodeSelector: [String] = []

    /// The flags given.
    var given: [String] {
        flagsGiven(["--probe-image": probeImage != nil, "--pod-security": podSecurity != nil, "--image-pull-secret": imagePullSecret != nil,
                    "--node": node != nil, "--node-selector": !nodeSelector.isEmpty])
    }

    func validate() throws {
        for pair in nodeSelector where pair.split(separator: "=", maxSplits: 1).count != 2 {
            throw ValidationError("--node-selector '\(pair)' is not key=value.")
        }
    }

    var image: String {
        probeImage ?? ProcessInfo.processInfo.environment["PODBENCH_PROBE_IMAGE"] ?? ProbeImage.defaultReference
    }

    /// How pods are made, for every runtime that makes them.
    var options: ManifestOptions {
        ManifestOptions(
            image: image, runLabel: "podbench", podSecurity: podSecurity ?? .restricted, imagePullSecret: imagePullSecret, nodeName: node,
            nodeSelector: nodeSelector.map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts[1])
            })
    }
}
