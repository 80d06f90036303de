import Foundation

/// Holds the kernel's PM QoS CPU latency at 0 us while it lives: idle CPUs poll instead of
/// entering an idle state (`CPUIdle.poll`). The request lasts as long as the file is open, so
/// the kernel lets go when podbench ends, however it ends: nothing is left behind.
public final class CPULatencyHold {
    public static let device = "/dev/cpu_dma_latency"
    private let descriptor: Int32

    /// Takes the hold; throws why it cannot be taken (not root, no such device).
    public init(device: String = CPULatencyHold.device) throws(PodbenchError) {
        let fd = open(device, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PodbenchError(.runtime, "\(device): \(String(cString: strerror(errno)))") }
        var zero: Int32 = 0
        guard write(fd, &zero, MemoryLayout<Int32>.size) == MemoryLayout<Int32>.size else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw PodbenchError(.runtime, "\(device): \(reason)")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    var descriptorForTests: Int32 { descriptor }
}
