import CPodbench

/// The node's CLOCK_MONOTONIC, shared by every container of a pod, in nanoseconds.
@inline(__always)
public func monotonicNanoseconds() -> UInt64 {
    podbench_monotonic_ns()
}
