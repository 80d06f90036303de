import Foundation
import PodbenchCore

/// Removes what interrupted runs left behind (`podbench cleanup`): podman pods and volumes and
/// Kubernetes pods by podbench's labels, and the runtimes' temporary directories. Whatever
/// belongs to a run still going is left alone: each run of a scenario on podman or Kubernetes
/// holds a locked directory named after its run label (`LockedDirectory.makeRunDirectory`).
public enum Cleanup {
    /// The label every pod and volume podbench makes carries.
    /// The runtimes whose runs hold a run directory (`LockedDirectory.makeRunDirectory`).
    static let runDirectoryKinds = RuntimeKind.allCases.filter { $0 != .local && $0 != .host }

    /// podman's pods and volumes of runs that are gone; what was removed, one line each.
    static func podman(_ podman: Podman, base: String = "/tmp", dryRun: Bool = false) async throws(RuntimeError) -> [String] {
        let live = liveRunLabels(base: base)
        let byRun = ["--filter", "label=\(PodbenchLabel.madeByPodbench)", "--format", "{{.Name}} {{index .Labels \"\(PodbenchLabel.run.rawValue)\"}}"]
        var removed: [String] = []
        let pods = try await podman.check(["pod", "ls"] + byRun, "list podbench's pods")
        for (pod, label) in pods.namesAndValues where !live.contains(label) {
            if !dryRun { try await podman.check(["pod", "rm", "--force", "--time", "1", pod], "remove pod \(pod)") }
            removed.append("podman pod \(pod)")
        }
        let volumes = try await podman.check(["volume", "ls"] + byRun, "list podbench's volumes")
        for (volume, label) in volumes.namesAndValues where !live.contains(label) {
            if !dryRun { try await podman.check(["volume", "rm", "--force", volume], "remove volume \(volume)") }
            removed.append("podman volume \(volume)")
        }
        return removed
    }

    /// The pods podbench made in kubectl's namespace, but those of runs this machine is still
    /// going through; they are deleted by their run label, as a run deletes its own.
    static func kubernetes(_ kubectl: Kubectl, base: String = "/tmp", dryRun: Bool = false) async throws(RuntimeError) -> [String] {
        let live = liveRunLabels(base: base)
        let listing = try await kubectl.check(["get", "pods", "-l", PodbenchLabel.madeByPodbench, "--output", "json"], "list podbench's pods")
        let pods: [PodList.Pod]
        do {
            pods = try JSONDecoder().decode(PodList.self, from: Data(listing.output.utf8)).items
        } catch {
            throw RuntimeError("kubectl get pods gave no pod list", cause: "\(error)")
        }
        var removed: [String] = []
        let leftovers = Dictionary(grouping: pods.filter { !live.contains($0.metadata.runLabel) }, by: \.metadata.runLabel)
        for (label, pods) in leftovers.sorted(by: { $0.key < $1.key }) where !label.isEmpty {
            if !dryRun { try await kubectl.check(["delete", "pods", "-l", PodbenchLabel.run.selector(label), "--wait=false", "--ignore-not-found"], "delete the pods of run \(label)") }
            removed += pods.map { "kubernetes pod \(kubectl.namespace)/\($0.metadata.name)" }.sorted()
        }
        return removed
    }

    /// The run labels of podman and Kubernetes runs going on now: those whose directory
    /// (`podbench-ENGINE-LABEL-XXXXXX`) is held.
    static func liveRunLabels(base: String) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        var labels: Set<String> = []
        for kind in runDirectoryKinds {
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
        let prefixes = ["podbench-pod-", "podbench-work-"] + runDirectoryKinds.map(LockedDirectory.runDirectoryPrefix)
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
