import Foundation
import PodbenchCore
import Testing

/// Scenarios whose probes spin (the mmap ping-pong), one at a time: two tests' spinning ends on
/// two CPUs take each other's time and neither finishes within its timeout.
@Suite(.serialized) enum SpinningScenarioTests {}

extension SpinningScenarioTests {
    @Suite struct MmapPingPongTests {
        @Test func volumeMmapPasses() async throws {
            try await expectRepositoryScenarioPasses("volume-mmap")
        }

        /// Two spinning ends on one CPU yield it to each other: the ping-pong completes in its
        /// scenario's time instead of a time slice a round trip.
        @Test func spinningEndsOnOneCPUYieldItToEachOther() async throws {
            let runtime = try IsolatedRuntime()
            let result = await runtime.run(try named("volume-mmap").placed(.sameCPU))
            #expect(result.status == .pass, "\(result.checks.filter { !$0.passed })")
            #expect(result.metrics.first { $0.name == "volume.mmap-round-trip" }?.placement?.placement == .sameCPU)
            try runtime.expectNothingLeft()
        }
    }
}
