import Foundation
import PodbenchCore

/// A scenario's directory on the host: `volumes/<pod>/<volume>` for each emptyDir and
/// `rootfs/<pod>/<container>`, an empty mount point for each container's root (mounted only
/// inside the container's own mount namespace).
struct PodDirectory: Sendable {
    let path: String

    init(base: String, scenario: Scenario) throws {
        let template = (base as NSString).appendingPathComponent("podbench-\(scenario.name)-XXXXXX")
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        path = String(cString: made)
        // Containers run as root in their user namespace and must be able to reach their mounts.
        chmod(path, 0o755)
        for pod in scenario.pods {
            for declared in pod.volumes {
                try Self.make(volume(declared.name, of: pod.name), mode: 0o777)
            }
            for container in pod.containers {
                try Self.make(rootfs(container.name, of: pod.name), mode: 0o755)
            }
        }
    }

    func volume(_ name: String, of pod: String) -> String {
        "\(path)/volumes/\(pod)/\(name)"
    }

    func rootfs(_ container: String, of pod: String) -> String {
        "\(path)/rootfs/\(pod)/\(container)"
    }

    private static func make(_ path: String, mode: mode_t) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, mode)
    }

    /// Removes the directory, never crossing into another file system: if a mount were ever
    /// left on a mount point here, it and what it shows stay untouched.
    func remove() {
        var root = stat()
        guard lstat(path, &root) == 0 else { return }
        Self.remove(path, device: root.st_dev)
    }

    private static func remove(_ path: String, device: dev_t) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_dev == device else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                remove(path + "/" + name, device: device)
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
