import Foundation
import PodbenchCore
@testable import PodbenchRuntime
import Testing

/// What a Kubernetes run's fingerprint says of the nodes, from `kubectl get nodes -o json`.
@Suite struct NodeListTests {
    /// Two workers (one with a newer kernel and more CPUs, one labelled for benchmarks), a
    /// cordoned node and a tainted control plane, as kubectl prints them.
    static let cluster = """
    {"apiVersion": "v1", "kind": "List", "items": [
      {"metadata": {"name": "worker-a", "labels": {"pool": "bench"}}, "spec": {},
       "status": {"capacity": {"cpu": "4"}, "nodeInfo": {"kernelVersion": "6.1.0-18-amd64", "kubeletVersion": "v1.31.2", "containerRuntimeVersion": "containerd://1.7.22", "architecture": "amd64", "osImage": "Debian GNU/Linux 12 (bookworm)"}}},
      {"metadata": {"name": "worker-b", "labels": {"pool": "general"}},
       "status": {"capacity": {"cpu": "8"}, "nodeInfo": {"kernelVersion": "6.8.0-45-generic", "kubeletVersion": "v1.31.2", "containerRuntimeVersion": "containerd://1.7.22", "architecture": "amd64", "osImage": "Ubuntu 24.04.1 LTS"}}},
      {"metadata": {"name": "cordoned"}, "spec": {"unschedulable": true},
       "status": {"capacity": {"cpu": "4"}, "nodeInfo": {"kernelVersion": "5.15.0-cordoned", "kubeletVersion": "v1.30.0", "containerRuntimeVersion": "cri-o://1.30.0", "architecture": "amd64", "osImage": "RHEL"}}},
      {"metadata": {"name": "control-plane"}, "spec": {"taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]},
       "status": {"capacity": {"cpu": "2"}, "nodeInfo": {"kernelVersion": "5.15.0-control", "kubeletVersion": "v1.31.2", "containerRuntimeVersion": "containerd://1.7.22", "architecture": "amd64", "osImage": "Debian GNU/Linux 12 (bookworm)"}}}
    ]}
    """

    func nodes() throws -> NodeList {
        try JSONDecoder().decode(NodeList.self, from: Data(Self.cluster.utf8))
    }

    func options(node: String? = nil, selector: [(key: String, value: String)] = []) -> ManifestOptions {
        ManifestOptions(image: "probe", runLabel: "r", nodeName: node, nodeSelector: selector)
    }

    @Test func cordonedAndTaintedNodesAreNotWherePodsGo() throws {
        #expect(try nodes().candidates(options()).map(\.metadata.name) == ["worker-a", "worker-b"])
    }

    @Test func aNodeNameOrSelectorNarrowsTheNodes() throws {
        #expect(try nodes().candidates(options(node: "worker-b")).map(\.metadata.name) == ["worker-b"])
        #expect(try nodes().candidates(options(selector: [("pool", "bench")])).map(\.metadata.name) == ["worker-a"])
        #expect(try nodes().candidates(options(selector: [("pool", "none")])).isEmpty)
    }

    @Test func oneNodeIsDescribedExactly() throws {
        let (machines, software) = NodeList.machines(of: try nodes().candidates(options(node: "worker-a")))
        #expect(machines == RuntimeDescription.Machines(cpuModel: "amd64", cpuCount: 4, kernel: "6.1.0-18-amd64", cgroupVersion: "unknown", names: "worker-a (Debian GNU/Linux 12 (bookworm))"))
        #expect(software == "kubelet v1.31.2, containerd://1.7.22")
    }

    @Test func nodesThatDifferListEveryValue() throws {
        let (machines, _) = NodeList.machines(of: try nodes().candidates(options()))
        #expect(machines.kernel == "6.1.0-18-amd64 | 6.8.0-45-generic")
        #expect(machines.cpuCount == 0 && machines.cpuModel == "amd64 (4 CPUs | 8 CPUs)")
        #expect(machines.names == "worker-a, worker-b (Debian GNU/Linux 12 (bookworm) | Ubuntu 24.04.1 LTS)")
    }

    @Test func manyNodesAreCounted() throws {
        var list = try nodes()
        list.items = (1...6).map { NodeList.Node(metadata: .init(name: "n\($0)"), spec: nil, status: list.items[0].status) }
        #expect(NodeList.machines(of: list.items).machines.names == "6 nodes: n1, n2, n3, … (Debian GNU/Linux 12 (bookworm))")
    }
}
