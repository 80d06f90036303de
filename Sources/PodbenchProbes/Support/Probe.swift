import PodbenchProbeInterface

/// A probe role: what runs in one container of a pod and reports checks and metrics.
public protocol Probe: SendableMetatype {
    static var spec: ProbeSpec { get }
    init(_ arguments: ProbeArguments) throws(ProbeError)
    /// Runs the probe to the end, reporting through `output`.
    func run(_ output: ProbeOutput) throws(ProbeError)
}

/// Waiting for a peer: polls `attempt` until it returns a value or `timeout` passes.
/// Containers of a pod start in no guaranteed order, so probes meet this way. `releasable`:
/// the wait is for a peer that must not come, and also ends (nil) when the runtime releases
/// the probe, once every peer that could have come has ended (`Release`).
public func waitFor<T>(timeout nanoseconds: UInt64, every pause: UInt64 = 1_000_000, releasable: Bool = false, _ attempt: () -> T?) -> T? {
    let deadline = monotonicNanoseconds() &+ nanoseconds
    while true {
        if let value = attempt() { return value }
        if monotonicNanoseconds() >= deadline { return nil }
        if releasable {
            if Release.hold(upTo: pause) { return nil }
        } else {
            sleep(nanoseconds: pause)
        }
    }
}

/// Sleeps until `time` on CLOCK_MONOTONIC, without involving the Swift concurrency runtime.
@inline(__always)
func sleep(untilMonotonic time: UInt64) {
    var until = timespec(tv_sec: Int(time / 1_000_000_000), tv_nsec: Int(time % 1_000_000_000))
    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nil) == EINTR {}
}

/// Sleeps without involving the Swift concurrency runtime.
public func sleep(nanoseconds: UInt64) {
    var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR {
        request = remaining
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
