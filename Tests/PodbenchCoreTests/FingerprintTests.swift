import PodbenchCore
import Testing

@Suite struct FingerprintTests {
    static let here = Fingerprint(cpuModel: "Xeon", cpuCount: 2, kernel: "6.1.0", cgroupVersion: "v2", runtime: "local", runtimeVersion: "", podCPULimit: "unlimited", podMemoryLimit: "unlimited", podbenchVersion: "0.1.0")

    @Test func fieldsChangedAreListedOldToNew() {
        var other = Self.here
        other.kernel = "6.12.0"
        other.runtimeClass = "gvisor"
        #expect(other.differences(from: Self.here) == ["kernel: 6.1.0 → 6.12.0", "runtime class: default → gvisor"])
        #expect(Self.here.differences(from: Self.here).isEmpty)
    }

    /// A cluster's run names its nodes; a run here does not, and the other fields still line up.
    @Test func nodesAppearOnlyWhereThereAreAny() {
        var cluster = Self.here
        cluster.nodes = "worker-a (Debian)"
        cluster.cpuCount = 0
        #expect(!Self.here.fields.contains { $0.label == "nodes" })
        #expect(cluster.fields.first! == ("nodes", "worker-a (Debian)"))
        #expect(cluster.differences(from: Self.here) == ["nodes: none → worker-a (Debian)", "CPU: Xeon × 2 → Xeon"])
        #expect(Self.here.differences(from: cluster) == ["CPU: Xeon → Xeon × 2", "nodes: worker-a (Debian) → none"])
    }

    /// Fingerprints without nodes keep the digest they had before nodes existed (FNV-1a of the
    /// `label=value` lines, computed here independently), so reports of earlier runs match.
    @Test func theDigestOfARunHereIsStable() {
        #expect(Self.here.digest == "5c9f7ad00277cdf8")
    }
}
