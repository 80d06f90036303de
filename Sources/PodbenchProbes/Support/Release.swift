import CPodbench
import PodbenchProbeInterface

/// A runtime's word that a probe may stop staying for others: the local, host and podman
/// runtimes send SIGUSR1 once every container of the scenario has started and every container
/// that does not only stay for others has ended. A probe that holds, or waits for a peer that
/// must not come, ends its wait then instead of at its bounded time; elsewhere nobody sends
/// it and the bounded times stand.
///
/// podbench-probe blocks SIGUSR1 before main, so a release that comes early stays pending;
/// a signalfd makes it a descriptor that polls as readable from then on (nothing reads it).
enum Release {
    /// Readable once released; -1 where a signalfd cannot be had (then nothing ends early).
    static let descriptor = podbench_release_fd()

    /// Waits up to `nanoseconds` for the release, and for `descriptor` (when given) to have
    /// `events`; returns which came first (the descriptor wins a tie), nil when the time ran out.
    static func wait(upTo nanoseconds: UInt64, for descriptor: Int32 = -1, events: Int16 = Int16(POLLIN)) -> Came? {
        switch podbench_poll_either(Self.descriptor, descriptor, events, nanoseconds) {
        case 1: .release
        case 2: .descriptor
        default: nil
        }
    }

    /// What ended a wait.
    enum Came { case release, descriptor }

    /// How long a wait that began at `start` (monotonic) lasted, for a message: "within 2s",
    /// or, released early, "in 1.02s, until every peer that could have come had ended".
    static func waited(since start: UInt64, upTo limit: UInt64) -> String {
        let lasted = monotonicNanoseconds() &- start
        return lasted < limit ? "in \(DurationText.format(nanoseconds: Double(lasted))), until every peer that could have come had ended" : "within \(DurationText.format(nanoseconds: Double(limit)))"
    }

    /// Sleeps up to `nanoseconds`, less if released; returns whether it was released.
    @discardableResult
    static func hold(upTo nanoseconds: UInt64) -> Bool {
        wait(upTo: nanoseconds) == .release
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
