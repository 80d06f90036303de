import Foundation
@testable import PodbenchSystem
import Testing

/// The hold on the kernel's CPU latency: real /dev/cpu_dma_latency, as root.
@Suite(.enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: CPULatencyHold.device), "needs root and /dev/cpu_dma_latency"))
struct CPULatencyHoldTests {
    /// While it lives, the kernel grants a CPU latency of 0 us (idle CPUs poll); it lets go with
    /// its file.
    @Test func whileHeldIdleCPUsMayTakeNoTimeToWake() throws {
        var hold: CPULatencyHold? = try CPULatencyHold()
        #expect(Self.current() == 0)
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

    /// The CPU latency the kernel now grants (us), as the device reads.
    private static func current() -> Int32? {
        let fd = open(CPULatencyHold.device, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var value: Int32 = 0
        return read(fd, &value, MemoryLayout<Int32>.size) == MemoryLayout<Int32>.size ? value : nil
    }

    private static func target(of descriptor: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")
    }
}
