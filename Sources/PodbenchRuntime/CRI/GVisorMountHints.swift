/// gVisor's mount hints: pod annotations `dev.gvisor.spec.mount.NAME.{source,type,share}` tell
/// runsc that the mounts whose host source is `source` are one volume, shared by the pod's
/// containers (`share: pod`) as a sandbox-internal file system of `type` (`tmpfs`, `bind`).
/// Only the kubelet knows where it put an emptyDir (GKE's writes `source`), so a scenario names
/// the volume and its `share` and `type`, and podbench, in the kubelet's part, adds `source`.
enum GVisorMountHints {
    static let prefix = "dev.gvisor.spec.mount."

    /// `annotations` with `dev.gvisor.spec.mount.VOLUME.source` added for each VOLUME of
    /// `volumes` (name → host directory) that has hints and no source.
    static func completed(_ annotations: [String: String], volumes: [String: String]) -> [String: String] {
        var result = annotations
        for key in annotations.keys where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            guard let dot = rest.lastIndex(of: ".") else { continue }
            let volume = String(rest[..<dot])
            let source = prefix + volume + ".source"
            if result[source] == nil, let directory = volumes[volume] {
                result[source] = directory
            }
        }
        return result
    }
}
