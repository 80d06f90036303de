import PodbenchProbeInterface
import PodbenchSystem

/// The environment a run measured: what must match for two runs' figures to be comparable.
/// Stored with every run and shown in every report.
public struct Fingerprint: Codable, Sendable, Equatable {
    public var cpuModel: String
    public var cpuCount: Int
    public var kernel: String
    /// `v2`, `v1` or `hybrid`.
    public var cgroupVersion: String
    /// `local`, `podman`, `kubernetes`.
    public var runtime: String
    public var runtimeVersion: String
    /// The Kubernetes RuntimeClass or podman OCI runtime, where one was chosen.
    public var runtimeClass: String?
    /// The CPU and memory the pods may use (`unlimited` when nothing limits them).
    public var podCPULimit: String
    public var podMemoryLimit: String
    public var podbenchVersion: String
    /// The machines the pods ran on when they are not the one podbench ran on (a cluster's
    /// nodes); the CPU, kernel and cgroup fields are then theirs.
    public var nodes: String?
    /// Where the ends of each measurement between containers were asked to run; runs stored
    /// before placements existed ran free.
    public var placement: Placement?
    /// How idle CPUs waited on the machine that ran the pods (nil where podbench cannot tell:
    /// a cluster's nodes); runs stored before this existed waited as the system does.
    public var cpuIdle: CPUIdle?

    public init(cpuModel: String, cpuCount: Int, kernel: String, cgroupVersion: String, runtime: String, runtimeVersion: String, runtimeClass: String? = nil, podCPULimit: String, podMemoryLimit: String, podbenchVersion: String, nodes: String? = nil) {
        self.cpuModel = cpuModel
        self.cpuCount = cpuCount
        self.kernel = kernel
        self.cgroupVersion = cgroupVersion
        self.runtime = runtime
        self.runtimeVersion = runtimeVersion
        self.runtimeClass = runtimeClass
        self.podCPULimit = podCPULimit
        self.podMemoryLimit = podMemoryLimit
        self.podbenchVersion = podbenchVersion
        self.nodes = nodes
    }

    /// The fields, labelled, in the order reports show them.
    public var fields: [(label: String, value: String)] {
        // `nodes` only where there are any.
        (nodes.map { [("nodes", $0)] } ?? []) + comparedFields + (placement == .free ? [("placement", Placement.free.rawValue)] : [])
            + (cpuIdle == .system ? [("CPU idle", CPUIdle.system.rawValue)] : [])
    }

    /// The fields the figures depend on: every field but `nodes`; the placement only where the
    /// run pinned, and the CPU idle only where it polled (runs from before either existed ran
    /// free and idled as the system does, and keep their digest). A cluster that replaces its
    /// machines (nightly, on some) renames its nodes while the machines stay alike; were the
    /// names part of the digest, no run would have a history to be judged against.
    public var comparedFields: [(label: String, value: String)] {
        var fields: [(label: String, value: String)] = [
            ("CPU", cpuCount > 0 ? "\(cpuModel) × \(cpuCount)" : cpuModel),
            ("kernel", kernel),
            ("cgroup", cgroupVersion),
            ("runtime", runtimeVersion.isEmpty ? runtime : "\(runtime) \(runtimeVersion)"),
            ("runtime class", runtimeClass ?? "default"),
            ("pod limits", "cpu \(podCPULimit), memory \(podMemoryLimit)"),
        ]
        if let placement, placement != .free { fields.append(("placement", placement.rawValue)) }
        if cpuIdle == .poll { fields.append(("CPU idle", CPUIdle.poll.rawValue)) }
        fields.append(("podbench", podbenchVersion))
        return fields
    }

    /// A short stable digest of the compared fields (FNV-1a, hex): runs with equal digests are
    /// like for like.
    public var digest: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in comparedFields.map({ "\($0.label)=\($0.value)" }).joined(separator: "\n").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// What differs from `other` among the compared fields, one `label: old → new` line per
    /// field: empty exactly when the digests are equal.
    public func differences(from other: Fingerprint) -> [String] {
        let before = Dictionary(other.comparedFields, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(comparedFields, uniquingKeysWith: { first, _ in first })
        let absent = ["placement": Placement.free.rawValue, "CPU idle": CPUIdle.system.rawValue]
        return (comparedFields + other.comparedFields.filter { after[$0.label] == nil }).compactMap { label, _ in
            let old = before[label] ?? absent[label] ?? "none"
            let new = after[label] ?? absent[label] ?? "none"
            return old == new ? nil : "\(label): \(old) → \(new)"
        }
    }

    /// What runs stored before fingerprints existed read as.
    public static let unknown = Fingerprint(cpuModel: "unknown", cpuCount: 0, kernel: "unknown", cgroupVersion: "unknown", runtime: "unknown", runtimeVersion: "", podCPULimit: "unknown", podMemoryLimit: "unknown", podbenchVersion: "unknown")
}
