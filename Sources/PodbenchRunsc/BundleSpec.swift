import Foundation

/// A bundle's OCI spec (`config.json`), for what the adapter reads and changes in it.
public struct BundleSpec {
    public var object: [String: Any]

    public init(json: Data) throws {
        guard let object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw AdapterError("config.json is not a JSON object")
        }
        self.object = object
    }

    public var annotations: [String: String] {
        object["annotations"] as? [String: String] ?? [:]
    }

    /// Whether the container joins its pod's sandbox (a CRI or CRI-O app container), rather than
    /// being the sandbox (the pause or infra container) or a container of its own.
    public var joinsASandbox: Bool {
        let annotations = annotations
        return annotations["io.kubernetes.cri.container-type"] == "container" || annotations["io.kubernetes.cri-o.ContainerType"] == "container"
    }

    /// gVisor's pod mount hints (`dev.gvisor.spec.mount.NAME.source` and `.type`), by source:
    /// the type each hinted host directory's mounts become.
    public var mountHints: [String: String] {
        let annotations = annotations
        var hints: [String: String] = [:]
        let prefix = "dev.gvisor.spec.mount.", suffix = ".source"
        for (key, source) in annotations where key.hasPrefix(prefix) && key.hasSuffix(suffix) {
            if let type = annotations[String(key.dropLast(suffix.count)) + ".type"] { hints[source] = type }
        }
        return hints
    }

    /// Turns each bind mount of a hinted source into a mount of the hinted type, as gVisor's own
    /// shim does, so that runsc binds it to the sandbox's one mount of that volume; whether any
    /// changed.
    public mutating func applyMountHints() -> Bool {
        let hints = mountHints
        guard !hints.isEmpty, var mounts = object["mounts"] as? [[String: Any]] else { return false }
        var changed = false
        for index in mounts.indices {
            guard mounts[index]["type"] as? String == "bind", let source = mounts[index]["source"] as? String, let type = hints[source] else { continue }
            mounts[index]["type"] = type
            mounts[index]["options"] = (mounts[index]["options"] as? [String] ?? []).filter { !["bind", "rbind", "rprivate", "private"].contains($0) }
            changed = true
        }
        object["mounts"] = mounts
        return changed
    }

    public func json() throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }
}

/// Why the adapter could not do what it was asked.
public struct AdapterError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
