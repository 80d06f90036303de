import Foundation
import PodbenchCore

/// Removes what interrupted runs left behind (`podbench cleanup`): podman pods by podbench's
/// label and their run-named volumes, and the temporary directories of the local and podman
/// runtimes that no running process uses any more.
public enum Cleanup {
    /// What was removed, one line each.
    public static func podman(_ podman: Podman) async throws(RuntimeError) -> [String] {
        var removed: [String] = []
        let pods = try await podman.check(["pod", "ls", "--filter", "label=app.kubernetes.io/managed-by=podbench", "--format", "{{.Name}}"], "list podbench's pods")
        for pod in pods.output.split(separator: "\n").map(String.init) where !pod.isEmpty {
            try await podman.check(["pod", "rm", "--force", pod], "remove pod \(pod)")
            removed.append("podman pod \(pod)")
        }
        let volumes = try await podman.check(["volume", "ls", "--format", "{{.Name}}"], "list volumes")
        for volume in volumes.output.split(separator: "\n").map(String.init) where isRunVolume(volume) {
            try await podman.check(["volume", "rm", "--force", volume], "remove volume \(volume)")
            removed.append("podman volume \(volume)")
        }
        return removed
    }

    /// A volume the podman runtime named for its run: `pb-` and eight or fewer hex digits, then
    /// the scenario's volume name.
    static func isRunVolume(_ name: String) -> Bool {
        let parts = name.split(separator: "-", maxSplits: 2)
        return parts.count == 3 && parts[0] == "pb" && (1...8).contains(parts[1].count) && parts[1].allSatisfy(\.isHexDigit)
    }

    /// Temporary directories of the runtimes under `base` (`podbench-pod-*` of local pods,
    /// `podbench-podman-*` of podman manifests) that no run holds (`DirectoryLock`): the run
    /// that made them is gone. Processes still naming such a directory are that run's orphaned
    /// containers (a podbench killed with SIGKILL leaves them running until their deadline):
    /// they are killed first.
    public static func temporaryDirectories(base: String = "/tmp") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        var removed: [String] = []
        for name in names where name.hasPrefix("podbench-pod-") || name.hasPrefix("podbench-podman-") {
            let path = (base as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                  !DirectoryLock.isHeld(path) else { continue }
            let orphans = processes(mentioning: path)
            for pid in orphans { kill(pid, SIGKILL) }
            if !orphans.isEmpty { removed.append("\(orphans.count) orphaned container process\(orphans.count == 1 ? "" : "es") of \(path)") }
            // Whatever a probe left on a volume cannot redirect the removal (no symbolic link is
            // followed); the volumes were mounted only inside the pods' own mount namespaces.
            PodDirectory(existing: path).remove()
            if !FileManager.default.fileExists(atPath: path) { removed.append(path) }
        }
        return removed
    }

    /// The processes whose command line names `text`.
    static func processes(mentioning text: String) -> [Int32] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return pids.filter { pid in
            guard pid != getpid(), let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/cmdline"), let data = try? handle.readToEnd() else { return false }
            try? handle.close()
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text)
        }
    }
}
