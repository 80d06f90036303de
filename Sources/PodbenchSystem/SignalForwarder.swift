import CPodbench
import Foundation
import Synchronization

/// SIGINT, SIGTERM, SIGHUP and SIGQUIT, taken by a thread of their own.
///
/// A signal handler (in C) writes each signal to a pipe that one thread reads, whatever
/// disposition or mask the parent left. By default a signal ends podbench at once with status
/// 128 + its number, after the clean-up registered (`EmergencyCleanup`: a partial file, a run's
/// lock); while a run is under way the first signal cancels it instead, so that pods are torn
/// down and the run is recorded as interrupted, and a second ends podbench at once.
public enum SignalForwarder {
    private static let action = Mutex<(@Sendable () -> Void)?>(nil)
    private static let first = Mutex<Int32?>(nil)

    /// The first signal that interrupted podbench, if one did.
    public static var received: Int32? {
        first.withLock { $0 }
    }

    /// Call first thing in main.
    public static func install() {
        let fd = podbench_interrupt_fd()
        guard fd >= 0 else { return }
        let thread = Thread {
            var byte: UInt8 = 0
            while read(fd, &byte, 1) == 1 {
                let signal = Int32(byte)
                first.withLock { if $0 == nil { $0 = signal } }
                let next = action.withLock { current -> (@Sendable () -> Void)? in
                    defer { current = nil }
                    return current
                }
                guard let next else {
                    // A second signal, or one outside a run: stop now, taking the pods along.
                    EmergencyCleanup.runAll()
                    _exit(128 + signal)
                }
                next()
            }
        }
        thread.name = "podbench-signals"
        thread.start()
    }

    /// Awaits `task`, cancelling it at the first signal.
    public static func cancelling<T: Sendable>(_ task: Task<T, any Error>) async throws -> T {
        action.withLock { $0 = { task.cancel() } }
        defer { action.withLock { $0 = nil } }
        return try await task.value
    }
}
