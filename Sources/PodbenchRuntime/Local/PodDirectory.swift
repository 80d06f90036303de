import Foundation
import PodbenchCore
import PodbenchSystem
import Subprocess

/// A scenario's directory on the host (mode 0700): `volumes/<pod>/<volume>` for each emptyDir
/// and `rootfs/<pod>/<container>`, an empty mount point for each container's root (mounted
/// only inside the container's own mount namespace).
struct PodDirectory: Sendable {
    /// Held while the run uses the directory, so that `podbench cleanup` leaves it alone.
    private let directory: LockedDirectory

    var path: String { directory.path }

    /// The environment the pods' processes get: the directory's identity, by which `podbench
    /// cleanup` finds them if podbench is killed (`LockedDirectory.processMarker`).
    var environment: Environment {
        .inherit.updating([Environment.Key(stringLiteral: LockedDirectory.processVariable): directory.identity])
    }

    init(base: String, scenario: Scenario) throws {
        directory = try LockedDirectory.make((base as NSString).appendingPathComponent("podbench-pod-\(scenario.name)-XXXXXX"))
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

    /// The directory of `scenario`'s pods under `base`, once `probe` is known to be there: what
    /// the local and host runtimes start each run with.
    static func prepare(for scenario: Scenario, probe: String, base: String) throws(RuntimeError) -> PodDirectory {
        guard FileManager.default.isExecutableFile(atPath: probe) else {
            throw RuntimeError("the probe executable \(probe) is missing or not executable", cause: "build it with 'swift build', or point --probe at it")
        }
        do {
            return try PodDirectory(base: base, scenario: scenario)
        } catch {
            throw RuntimeError("cannot prepare the pod directories under \(base)", cause: "\(error)")
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

    /// Removes the directory (`LockedDirectory.remove`), then lets go of its lock.
    func remove() {
        directory.remove()
    }
}
