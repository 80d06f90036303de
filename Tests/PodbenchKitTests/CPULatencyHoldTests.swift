import Foundation
import PodbenchCore
@testable import PodbenchKit
import Testing

/// The hold on the kernel's CPU latency: real /dev/cpu_dma_latency, as root.
@Suite(.enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: CPULatencyHold.device), "needs root and /dev/cpu_dma_latency"))
struct CPULatencyHoldTests {
    /// While it lives, the kernel grants a CPU latency of 0 us (idle CPUs poll); it lets go with
    /// its file.
    @Test func whileHeldIdleCPUsMayTakeNoTimeToWake() throws {
        var hold: CPULatencyHold? = try CPULatencyHold()
        #expect(CPULatencyHold.current() == 0)
        let descriptor = try #require(hold?.descriptorForTests)
        #expect(Self.target(of: descriptor) == CPULatencyHold.device)
        hold = nil
        #expect(Self.target(of: descriptor) != CPULatencyHold.device)
    }

    @Test func aDeviceThatCannotBeHeldSaysWhy() {
        #expect {
            _ = try CPULatencyHold(device: "/nonexistent/cpu_dma_latency")
        } throws: { error in
            (error as? PodbenchError)?.message == "/nonexistent/cpu_dma_latency: No such file or directory"
        }
    }

    private static func target(of descriptor: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")
    }
}
