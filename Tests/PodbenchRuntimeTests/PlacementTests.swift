import Foundation
import PodbenchCore
import PodbenchProbeInterface
import Testing

/// CPU placement: the probes pin themselves as the run asks, say where they ran, and every
/// metric between containers carries the placement its own two ends had.
@Suite struct PlacementTests {
    /// The CPUs this test process may use (`Cpus_allowed_list: 0-1,4`): the probes' containers
    /// inherit them.
    static let allowed: [Int] = {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let list = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }?.split(separator: ":").last ?? ""
        return list.split(separator: ",").flatMap { range -> [Int] in
            let ends = range.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            return ends.count == 2 ? Array(ends[0]...ends[1]) : ends
        }
    }()

    @Test func sameCPUPinsBothEndsToOneCPU() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try named("localhost-tcp").placed(.sameCPU))
        #expect(result.status == .pass)
        let placement = try #require(result.metrics.first { $0.name == "tcp.round-trip" }?.placement)
        #expect(placement.placement == .sameCPU && placement.note == nil, "\(placement)")
        #expect(placement.sides.map(\.container) == ["net-tcp/server", "net-tcp/client"])
        #expect(Set(placement.sides.compactMap(\.cpu.pinned)) == [Self.allowed[0]])
        #expect(placement.sides.allSatisfy { $0.cpu.ran == [Self.allowed[0]] && $0.cpu.allowed == Self.allowed })
        #expect(result.metrics.first { $0.name == "pod.start" }?.placement == nil, "no measurement between containers")
        try runtime.expectNothingLeft()
    }

    @Test(.enabled(if: allowed.count >= 2, "needs two CPUs"))
    func crossCPUPinsEachEndOfEachPairToACPUOfItsOwn() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try named("ipc-sysv-shm").placed(.crossCPU))
        #expect(result.status == .pass)
        for size in ["64", "4k"] {
            let metric = try #require(result.metrics.first { $0.source == "ipc-sysv-shm/client-\(size)" })
            let placement = try #require(metric.placement)
            #expect(placement.placement == .crossCPU && placement.note == nil, "\(placement)")
            // Its own pair's ends, not the other pair's.
            #expect(placement.sides.map(\.container) == ["ipc-sysv-shm/server-\(size)", "ipc-sysv-shm/client-\(size)"])
            #expect(placement.sides.map(\.cpu.pinned) == [Self.allowed[0], Self.allowed[1]])
            #expect(placement.sides.allSatisfy { $0.cpu.migrations == 0 }, "\(placement.summary)")
        }
        try runtime.expectNothingLeft()
    }

    @Test func freeLeavesTheEndsToTheScheduler() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try named("localhost-tcp").placed(.free))
        let placement = try #require(result.metrics.first { $0.name == "tcp.round-trip" }?.placement)
        #expect(placement.placement == .free && placement.note == nil)
        #expect(placement.sides.allSatisfy { $0.cpu.pinned == nil && !$0.cpu.ran.isEmpty && $0.cpu.migrations != nil })
        try runtime.expectNothingLeft()
    }

    /// A scenario that pins a container itself keeps its choice; the run's placement then does
    /// not hold for that pair, and the metric says what it had instead.
    @Test(.enabled(if: allowed.count >= 2, "needs two CPUs"))
    func aScenarioThatPinsItselfKeepsItsChoiceAndTheMetricSaysSo() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: pinned
            description: The server asks for same-cpu.
            pod:
              name: p
              containers:
                - {name: s, probe: ipc-server, args: {channel: sysv-msg, key: 0x5711, cpu: same-cpu}}
                - {name: c, probe: ipc-client, args: {channel: sysv-msg, key: 0x5711, rounds: 50, warmup: 0}}
            expect:
              - {check: sysv-msg.round-trip, level: MUST}
            """).placed(.crossCPU))
        let placement = try #require(result.metrics.first { $0.source != nil }?.placement)
        // Side 0 takes the first CPU either way; the client (side 1) takes the second.
        #expect(placement.placement == .crossCPU)
        #expect(placement.sides.map(\.cpu.asked) == [.sameCPU, .crossCPU])
        #expect(placement.note == "the ends asked for same-cpu and cross-cpu", "\(placement)")
        try runtime.expectNothingLeft()
    }
}
