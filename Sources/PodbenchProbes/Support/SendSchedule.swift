import PodbenchProbeInterface

/// When a client's requests start (`OpenLoop`): with a rate, one is due every 1/rate seconds
/// from the first, and a request's latency counts from when it was due; without one (closed
/// loop), a request starts when the one before it was answered.
struct SendSchedule {
    let rate: Int?
    private let interval: UInt64
    private var due: UInt64 = 0
    private var first: UInt64 = 0

    init(rate: Int?) {
        self.rate = rate
        interval = rate.map { 1_000_000_000 / UInt64($0) } ?? 0
    }

    /// The time the next request's latency counts from: in a closed loop now; in an open loop
    /// when it is due, after sleeping until then (never spinning: the peer may need the CPU).
    /// A request due while the one before it was still unanswered leaves at once, late.
    @inline(__always)
    mutating func nextStart() -> UInt64 {
        guard rate != nil else { return monotonicNanoseconds() }
        if first == 0 {
            due = monotonicNanoseconds()
            first = due
        } else {
            due &+= interval
        }
        if monotonicNanoseconds() < due {
            var until = timespec(tv_sec: Int(due / 1_000_000_000), tv_nsec: Int(due % 1_000_000_000))
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nil) == EINTR {}
        }
        return due
    }

    /// The metric `closedLoop` becomes under this schedule.
    func metric(_ closedLoop: MetricName) -> MetricName {
        rate == nil ? closedLoop : OpenLoop.metric(closedLoop)
    }

    /// In an open loop, the `FAMILY.rate` check: whether `sent` requests, the last answered at
    /// `end`, went at the asked rate (at least `OpenLoop.keptShare` of it).
    func reportRate(sent: Int, lastAnswered end: UInt64, family: String, _ output: ProbeOutput) {
        guard let rate, sent > 0 else { return }
        let achieved = end > first ? Double(sent) * 1e9 / Double(end - first) : 0
        let kept = achieved >= Double(rate) * OpenLoop.keptShare
        let went = "\(sent) requests due at \(rate)/s went at \(Int(achieved.rounded()))/s"
        output.check(OpenLoop.rateCheck(family), ok: kept, kept ? went : went + ": the client could not keep the rate (each request waits for the answer to the one before it)")
    }
}

import Glibc
