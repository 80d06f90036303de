import Foundation
import PodbenchCore
import PodbenchSystem

/// Removes what interrupted runs left behind (`podbench cleanup`): the runtimes' temporary
/// directories here, and (each in its runtime's folder, `+Cleanup`) podman's pods and volumes,
/// Kubernetes' pods and the CRI's sandboxes by podbench's labels. Whatever
/// belongs to a run still going is left alone: each run of a scenario on podman or Kubernetes
/// holds a locked directory named after its run label (`LockedDirectory.makeRunDirectory`).
public enum Cleanup {
    /// The run labels of podman and Kubernetes runs going on now: those whose directory
    /// (`podbench-ENGINE-LABEL-XXXXXX`) is held.
    static func liveRunLabels(base: String) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        var labels: Set<String> = []
        for kind in RuntimeRegistry.runDirectoryKinds {
            for name in names {
                guard let label = LockedDirectory.runLabel(ofDirectory: name, kind: kind),
                      LockedDirectory.isHeld((base as NSString).appendingPathComponent(name)) else { continue }
                labels.insert(label)
            }
        }
        return labels
    }

    /// Temporary directories of the runtimes under `base` (`podbench-pod-*` of local pods,
    /// `podbench-podman-*` and `podbench-kubernetes-*` of podman and Kubernetes runs,
    /// `podbench-work-*` of image builds and other commands) that podbench made (they carry
    /// its mark) and no run holds (`LockedDirectory`): the run that made them is gone. The
    /// processes started for such a directory (its identity in their environment) are that
    /// run's orphaned containers (a podbench killed with SIGKILL leaves them running until
    /// their deadline): they are killed first. A directory of the same name without the mark,
    /// and a process that merely names it, are not podbench's and are left alone.
    public static func temporaryDirectories(base: String = "/tmp", dryRun: Bool = false) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        let prefixes = ["podbench-pod-", "podbench-work-"] + RuntimeRegistry.runDirectoryKinds.map(LockedDirectory.runDirectoryPrefix)
        var removed: [String] = []
        for name in names where prefixes.contains(where: name.hasPrefix) {
            let path = (base as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            // Taking the lock keeps a run (or another cleanup) from having it meanwhile.
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                  let directory = LockedDirectory.abandoned(path) else { continue }
            let orphans = processes(marked: directory.processMarker)
            if dryRun {
                // Looked at under its lock, and left as it was.
                directory.release()
                if !orphans.isEmpty { removed.append("\(orphans.count) orphaned container process\(orphans.count == 1 ? "" : "es") of \(path)") }
                removed.append(path)
                continue
            }
            for pid in orphans { kill(pid, SIGKILL) }
            if !orphans.isEmpty { removed.append("\(orphans.count) orphaned container process\(orphans.count == 1 ? "" : "es") of \(path)") }
            // Whatever a probe left on a volume cannot redirect the removal (no symbolic link is
            // followed); the volumes were mounted inside the pods' own mount namespaces, but for
            // the tmpfs of a CRI pod's memory emptyDir, detached first.
            let detached = Mounts.detach(under: path)
            if !detached.isEmpty { removed += detached.map { "mount \($0)" } }
            directory.remove()
            if !FileManager.default.fileExists(atPath: path) { removed.append(path) }
        }
        return removed
    }

    /// The processes whose environment holds `marker` (`NAME=VALUE`) as one whole entry.
    static func processes(marked marker: String) -> [Int32] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        let entry = Array(marker.utf8)
        return pids.filter { pid in
            guard pid != getpid(), let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/environ"), let data = try? handle.readToEnd() else { return false }
            try? handle.close()
            return data.split(separator: 0).contains { $0.elementsEqual(entry) }
        }
    }
}
