import Foundation
import PodbenchCRI
import PodbenchCore
import PodbenchSystem

extension CRIRuntime {
    /// The runtime answers, has the handler (from Status's verbose configuration, where the
    /// runtime gives it: containerd does), and holds the probe and pause images: each missing
    /// one said with what to install or run, before any pod is made.
    public func preflight() async throws(RuntimeError) {
        let endpoint = self.endpoint
        let image = options.image
        let (configuration, images) = try await calling(endpoint, "reach the runtime") { cri in
            let status = try await cri.runtime.status(.with { $0.verbose = true })
            let configuration = CRIConfiguration(status.info["config"])
            var missing: [String] = []
            for name in [image, configuration.sandboxImage].compactMap({ $0 }) where !name.isEmpty {
                if try await !cri.images.imageStatus(.with { $0.image = .with { $0.image = name } }).hasImage { missing.append(name) }
            }
            return (configuration, missing)
        }
        if let handler, let handlers = configuration.handlers, !handlers.contains(handler) {
            throw RuntimeError("the runtime at \(endpoint) has no runtime handler \(handler) (it has \(handlers.sorted().joined(separator: ", ")))",
                               cause: Self.howToAdd(handler: handler))
        }
        if !images.isEmpty {
            throw RuntimeError("the runtime at \(endpoint) does not hold \(images.joined(separator: " and "))",
                               cause: "podbench pulls nothing: podbench image build --into containerd --cri-endpoint \(endpoint) loads the probe and pause images into its k8s.io namespace (or, for each image: podbench image save --tag IMAGE FILE && ctr --address \(endpoint.path) -n k8s.io images import FILE)")
        }
    }

    /// What to do about a handler the runtime does not have.
    static func howToAdd(handler: String) -> String {
        let restart = "scripts/private-containerd restart picks up what is installed, for its own containerd; a system containerd needs a [plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.\(handler)] section and a restart"
        return handler == "runsc"
            ? "gVisor: scripts/setup-debian installs runsc and podbench-runsc, podbench's adapter that runs a pod as one sandbox; then \(restart)"
            : restart
    }
}

/// What containerd says of its CRI configuration in Status's verbose info (`config`, JSON).
struct CRIConfiguration {
    /// The runtime handlers' names; nil where the runtime does not say.
    var handlers: Set<String>?
    /// The pause image the runtime makes sandboxes with; nil where it does not say.
    var sandboxImage: String?
    /// The handler pods get when they name none (containerd's `default_runtime_name`).
    var defaultHandler: String?

    init(_ json: String?) {
        guard let data = json?.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        let containerd = object["containerd"] as? [String: Any]
        handlers = (containerd?["runtimes"] as? [String: Any]).map { Set($0.keys) }
        defaultHandler = containerd?["defaultRuntimeName"] as? String
        sandboxImage = object["sandboxImage"] as? String
    }
}
