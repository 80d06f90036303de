import Foundation
import PodbenchCore
import PodbenchSystem

/// A pod's emptyDir volumes on the CRI, made as the kubelet makes them (the CRI knows only
/// host directories): a directory per volume on the host, open to the pod's user (mode 0777),
/// with a tmpfs mounted on it for `medium: Memory`, as large as the pod's memory limit.
enum EmptyDirs {
    /// Makes the pod's volumes under `directory`; each volume's host path, by name. Nothing is
    /// left mounted when it fails.
    static func make(_ pod: PodPlan.Pod, under directory: String) throws(RuntimeError) -> [String: String] {
        var paths: [String: String] = [:]
        let size = pod.containers.reduce(0) { $0 + CRIPodConfig.bytes($1.limits.memory) }
        for volume in pod.volumes {
            let path = (directory as NSString).appendingPathComponent("volumes/\(volume.name)")
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                Mounts.detach(under: directory)
                throw RuntimeError("cannot make the emptyDir \(volume.name) of \(pod.hostname)", cause: "\(error)")
            }
            if volume.inMemory, mount("tmpfs", path, "tmpfs", UInt(MS_NOSUID | MS_NODEV), "mode=0777,size=\(size)") != 0 {
                let reason = String(cString: strerror(errno))
                Mounts.detach(under: directory)
                throw RuntimeError("cannot mount the tmpfs of the emptyDir \(volume.name) of \(pod.hostname)", cause: reason)
            }
            chmod(path, 0o777)
            paths[volume.name] = path
        }
        return paths
    }
}
