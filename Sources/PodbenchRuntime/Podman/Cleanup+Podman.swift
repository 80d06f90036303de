import PodbenchCore
import PodbenchSystem

/// podman's leftovers, found by podbench's labels.
extension Cleanup {
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
}
