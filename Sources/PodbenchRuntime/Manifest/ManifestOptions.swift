/// How scenarios become Pod manifests: for which engine, with which image, under which
/// PodSecurity level, and where the pods may go.
public struct ManifestOptions: Sendable {
    public enum Engine: String, Sendable, CaseIterable {
        /// `kubectl apply`.
        case kubernetes
        /// `podman kube play`: emptyDir volumes become named podman volumes, so their names are
        /// made unique to the run.
        case podman
    }

    /// The PodSecurity level pods must pass.
    public enum PodSecurity: String, Sendable, CaseIterable {
        /// Non-root, no privilege escalation, every capability dropped, RuntimeDefault seccomp.
        case restricted
        /// As restricted, but a container whose scenario asks for capabilities gets them (and
        /// runs as root, since only root keeps them).
        case privileged
    }

    public var engine: Engine
    /// The probe image.
    public var image: String
    /// Labels the pods `podbench.io/run`, so a run's pods can be found and removed.
    public var runLabel: String
    public var podSecurity: PodSecurity
    public var imagePullSecret: String?
    public var nodeName: String?
    public var nodeSelector: [(key: String, value: String)]
    public var runtimeClass: String?

    public init(engine: Engine = .kubernetes, image: String, runLabel: String, podSecurity: PodSecurity = .restricted, imagePullSecret: String? = nil, nodeName: String? = nil, nodeSelector: [(key: String, value: String)] = [], runtimeClass: String? = nil) {
        self.engine = engine
        self.image = image
        self.runLabel = runLabel
        self.podSecurity = podSecurity
        self.imagePullSecret = imagePullSecret
        self.nodeName = nodeName
        self.nodeSelector = nodeSelector
        self.runtimeClass = runtimeClass
    }

    /// These options with a label of their own (`pb-` and eight hex digits): each run of a
    /// scenario has its own, so its pods (and on podman its volumes) are named after it, found
    /// and removed by it, and `podbench cleanup` leaves them alone while the run holds its
    /// directory.
    public func forOneRun() -> ManifestOptions {
        var options = self
        let hex = String(UInt32.random(in: .min ... .max), radix: 16)
        options.runLabel = "pb-" + String(repeating: "0", count: 8 - hex.count) + hex
        return options
    }
}
