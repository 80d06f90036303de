import Foundation
import PodbenchRuntime

/// How pods are made on podman, Kubernetes and the CRI, as flags give it: the image,
/// PodSecurity, placement on nodes.
public struct PodFlags: Sendable {
    /// The probe image (`--probe-image`); nil: $PODBENCH_PROBE_IMAGE, else the one
    /// `podbench image build` makes.
    public var probeImage: String?
    public var podSecurity: PodSecurity?
    public var imagePullSecret: String?
    public var node: String?
    /// Node labels, `key=value` each.
    public var nodeSelector: [String] = []

    public init(probeImage: String? = nil, podSecurity: PodSecurity? = nil, imagePullSecret: String? = nil, node: String? = nil, nodeSelector: [String] = []) {
        self.probeImage = probeImage
        self.podSecurity = podSecurity
        self.imagePullSecret = imagePullSecret
        self.node = node
        self.nodeSelector = nodeSelector
    }

    /// The flags given.
    public var given: [String] {
        flagsGiven(["--probe-image": probeImage != nil, "--pod-security": podSecurity != nil, "--image-pull-secret": imagePullSecret != nil,
                    "--node": node != nil, "--node-selector": !nodeSelector.isEmpty])
    }

    public func validate() throws(UsageError) {
        for pair in nodeSelector where pair.split(separator: "=", maxSplits: 1).count != 2 {
            throw UsageError("--node-selector '\(pair)' is not key=value.")
        }
    }

    /// How pods are made, for every runtime that makes them.
    var manifest: ManifestOptions {
        ManifestOptions(
            image: probeImage ?? ProcessInfo.processInfo.environment["PODBENCH_PROBE_IMAGE"] ?? ProbeImage.defaultReference, runLabel: "podbench",
            podSecurity: podSecurity ?? .restricted, imagePullSecret: imagePullSecret, nodeName: node,
            nodeSelector: nodeSelector.map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts[1])
            })
    }
}

/// The flags among `flags` whose options were given: each flag's spelling and whether it was,
/// in the order listed (what a group of flags says it was `given`).
func flagsGiven(_ flags: KeyValuePairs<String, Bool>) -> [String] {
    flags.filter(\.value).map(\.key)
}
