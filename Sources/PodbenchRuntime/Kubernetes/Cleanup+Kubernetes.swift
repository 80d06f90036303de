import Foundation
import PodbenchCore
import PodbenchSystem

/// Kubernetes' leftovers, found by podbench's labels.
extension Cleanup {
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
}
