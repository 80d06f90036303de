import Foundation
import PodbenchCore

/// A scenario's directory on the host (mode 0700): `volumes/<pod>/<volume>` for each emptyDir
/// and `rootfs/<pod>/<container>`, an empty mount point for each container's root (mounted
/// only inside the container's own mount namespace).
struct PodDirectory: Sendable {
    let path: String
    /// Held while the run uses the directory, so that `podbench cleanup` leaves it alone.
    private let lock: DirectoryLock?

    /// One left by an earlier run, to remove.
    init(existing path: String) {
        self.path = path
        lock = nil
    }

    init(base: String, scenario: Scenario) throws {
        (path, lock) = try DirectoryLock.makeDirectory((base as NSString).appendingPathComponent("podbench-pod-\(scenario.name)-XXXXXX"))
        do {
            for pod in scenario.pods {
                for declared in pod.volumes {
                    try Self.make(volume(declared.name, of: pod.name))
                }
                for container in pod.containers {
                    try Self.make(rootfs(container.name, of: pod.name))
                }
            }
        } catch {
            remove()
            throw error
        }
    }

    func volume(_ name: String, of pod: String) -> String {
        "\(path)/volumes/\(pod)/\(name)"
    }

    func rootfs(_ container: String, of pod: String) -> String {
        "\(path)/rootfs/\(pod)/\(container)"
    }

    private static func make(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }

    /// Copies the regular files named `*suffix` at the top of each volume to `destination`,
    /// as `PREFIX-POD-VOLUME-NAME` with a time stamp; a failure to copy one is not fatal.
    func keep(suffix: String, in destination: String, prefix: String) {
        let volumes = "\(path)/volumes"
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withYear, .withMonth, .withDay, .withTime])
        for pod in (try? FileManager.default.contentsOfDirectory(atPath: volumes)) ?? [] {
            for volume in (try? FileManager.default.contentsOfDirectory(atPath: "\(volumes)/\(pod)")) ?? [] {
                let folder = "\(volumes)/\(pod)/\(volume)"
                for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(suffix) {
                    var info = stat()
                    guard lstat("\(folder)/\(name)", &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                    try? FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
                    let target = "\(destination)/\(prefix)-\(pod)-\(volume)-\(stamp)-\(name)"
                    try? FileManager.default.copyItem(atPath: "\(folder)/\(name)", toPath: target)
                }
            }
        }
    }

    /// Removes the directory without following a symbolic link or crossing into another file
    /// system: each entry is reached through its parent's descriptor (openat, unlinkat), so
    /// nothing a probe left in a volume can redirect the removal to the host's files.
    func remove() {
        lock?.release()
        let parent = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { return }
        defer { close(parent) }
        var top = stat()
        guard fstatat(parent, (path as NSString).lastPathComponent, &top, AT_SYMLINK_NOFOLLOW) == 0 else { return }
        Self.remove((path as NSString).lastPathComponent, in: parent, device: top.st_dev)
    }

    private static func remove(_ name: String, in parent: Int32, device: dev_t) {
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_dev == device else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            unlinkat(parent, name, 0)
            return
        }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0, let directory = fdopendir(fd) else { return }
        var names: [String] = []
        while let entry = readdir(directory) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if entryName != "." && entryName != ".." { names.append(entryName) }
        }
        for entryName in names {
            remove(entryName, in: fd, device: device)
        }
        closedir(directory)
        unlinkat(parent, name, AT_REMOVEDIR)
    }
}
