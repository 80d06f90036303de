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
        #expect(cluster.differences(from: Self.here) == ["CPU: Xeon × 2 → Xeon"])
        #expect(Self.here.differences(from: cluster) == ["CPU: Xeon → Xeon × 2"])
    }

    /// Nodes replaced overnight get new names: the runs stay like for like, their names shown
    /// but out of the digest.
    @Test func nodeNamesAreShownButLeaveTheDigestAlone() {
        var monday = Self.here
        monday.nodes = "ip-10-0-1-17, ip-10-0-2-40 (Ubuntu 24.04)"
        var tuesday = monday
        tuesday.nodes = "ip-10-0-1-203, ip-10-0-3-9 (Ubuntu 24.04)"
        #expect(tuesday.fields.first! == ("nodes", "ip-10-0-1-203, ip-10-0-3-9 (Ubuntu 24.04)"))
        #expect(monday.digest == tuesday.digest)
        #expect(monday.digest == Self.here.digest)
        #expect(tuesday.differences(from: monday).isEmpty)
        // A field the figures depend on still changes it.
        tuesday.kernel = "6.8.0"
        #expect(tuesday.digest != monday.digest)
        #expect(tuesday.differences(from: monday) == ["kernel: 6.1.0 → 6.8.0"])
    }

    /// Fingerprints without nodes keep the digest they had before nodes existed (FNV-1a of the
    /// `label=value` lines, computed here independently), so reports of earlier runs match.
    /// Idle CPUs that poll make other figures (a wake-up across CPUs costs a fraction): such a
    /// run is its own like; runs from before, which idled as the system does, keep their digest.
    @Test func aRunWhoseIdleCPUsPolledIsComparedOnlyWithItsLike() {
        var polled = Self.here, system = Self.here
        polled.cpuIdle = .poll
        system.cpuIdle = .system
        #expect(system.digest == Self.here.digest)
        #expect(polled.digest != Self.here.digest)
        #expect(polled.differences(from: Self.here) == ["CPU idle: system → poll"])
        #expect(polled.fields.contains { $0 == ("CPU idle", "poll") })
        #expect(system.fields.contains { $0 == ("CPU idle", "system") })
        #expect(!Self.here.fields.contains { $0.label == "CPU idle" })
    }

    @Test func theDigestOfARunHereIsStable() {
        #expect(Self.here.digest == "5c9f7ad00277cdf8")
    }
}
