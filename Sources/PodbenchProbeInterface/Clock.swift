import CPodbench
#if canImport(Glibc)
import Glibc
#endif

/// The node's CLOCK_MONOTONIC, shared by every container of a pod, in nanoseconds.
@inline(__always)
public func monotonicNanoseconds() -> UInt64 {
    podbench_monotonic_ns()
}

/// CLOCK_REALTIME in nanoseconds: comparable between the processes of one node (and, as far
/// as their clocks agree, between nodes), for pod start times.
public func realtimeNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}
