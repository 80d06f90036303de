import PodbenchCore

/// What `kubectl get nodes -o json` says of a cluster's nodes: just what a run's fingerprint
/// records of the machines its pods may land on.
struct NodeList: Decodable {
    var items: [Node]

    struct Node: Decodable {
        var metadata: Metadata
        var spec: Spec?
        var status: Status?
    }

    struct Metadata: Decodable {
        var name: String
        var labels: [String: String]?
    }

    struct Spec: Decodable {
        var unschedulable: Bool?
        var taints: [Taint]?
    }

    struct Taint: Decodable {
        var key: String
        var effect: String
    }

    struct Status: Decodable {
        var capacity: [String: String]?
        var nodeInfo: NodeInfo?
    }

    struct NodeInfo: Decodable {
        var kernelVersion: String?
        var kubeletVersion: String?
        var containerRuntimeVersion: String?
        var architecture: String?
        var osImage: String?
    }

    /// The nodes podbench's pods can be placed on: the one `--node` names, else the schedulable
    /// nodes that carry every `--node-selector` label and no taint that keeps pods without
    /// tolerations away (podbench's pods have none).
    func candidates(_ options: ManifestOptions) -> [Node] {
        if let name = options.nodeName { return items.filter { $0.metadata.name == name } }
        return items.filter { node in
            let labels = node.metadata.labels ?? [:]
            return node.spec?.unschedulable != true
                && options.nodeSelector.allSatisfy { labels[$0.key] == $0.value }
                && !(node.spec?.taints ?? []).contains { $0.effect == "NoSchedule" || $0.effect == "NoExecute" }
        }
    }

    /// The machines of `nodes`, each field listing the distinct values (`6.1.0 | 6.8.0`), and
    /// the kubelet and container runtime versions they run. Nodes do not report their CPU
    /// model or cgroup version: the CPU reads as the architecture, the cgroup `unknown`.
    static func machines(of nodes: [Node]) -> (machines: RuntimeDescription.Machines, software: String) {
        func distinct(_ value: (NodeInfo) -> String?) -> String {
            var seen: [String] = []
            for node in nodes {
                let text = node.status?.nodeInfo.flatMap(value) ?? "unknown"
                if !seen.contains(text) { seen.append(text) }
            }
            return seen.isEmpty ? "unknown" : seen.joined(separator: " | ")
        }
        let counts = Set(nodes.map { node in node.status?.capacity?["cpu"].flatMap(Int.init) ?? 0 })
        let countText = counts.count > 1 ? " (" + counts.sorted().map { "\($0) CPUs" }.joined(separator: " | ") + ")" : ""
        let names = nodes.map(\.metadata.name).sorted()
        let named = names.count <= 4 ? names.joined(separator: ", ") : "\(names.count) nodes: \(names.prefix(3).joined(separator: ", ")), …"
        let machines = RuntimeDescription.Machines(
            cpuModel: distinct(\.architecture) + countText,
            cpuCount: counts.count == 1 ? counts.first! : 0,
            kernel: distinct(\.kernelVersion),
            cgroupVersion: "unknown",
            names: "\(named) (\(distinct(\.osImage)))")
        return (machines, "kubelet \(distinct(\.kubeletVersion)), \(distinct(\.containerRuntimeVersion))")
    }
}
