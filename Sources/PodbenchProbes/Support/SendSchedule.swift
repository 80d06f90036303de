import PodbenchProbeInterface

/// When a client's requests start (`OpenLoop`): with a rate, one is due every 1/rate seconds
/// from the first, and a request's latency counts from when it was due; without one (closed
/// loop), a request starts when the one before it was answered. With `Turns`, requests start
/// only in the client's turns: an open loop's requests fall due in its turns alone.
struct SendSchedule {
    let rate: Int?
    private let interval: UInt64
    private var due: UInt64 = 0
    private var first: UInt64 = 0
    private let turns: TurnClock
    /// The others' turns an open loop's requests skipped: not the client's time.
    private var skipped: UInt64 = 0

    init(rate: Int?, turns: Turns? = nil) {
        self.rate = rate
        interval = rate.map { 1_000_000_000 / UInt64($0) } ?? 0
        self.turns = TurnClock(turns)
    }

    /// The time the next request's latency counts from: in a closed loop now (in its turn); in
    /// an open loop when it is due, after sleeping until then (never spinning: the peer may need
    /// the CPU). A request due while the one before it was still unanswered leaves at once, late.
    @inline(__always)
    mutating func nextStart() -> UInt64 {
        guard rate != nil else {
            turns.wait()
            return monotonicNanoseconds()
        }
        if first == 0 {
            due = turns.turnStart(from: monotonicNanoseconds())
            first = due
        } else {
            let next = due &+ interval
            due = turns.earliest(from: next)
            skipped &+= due - next
        }
        if monotonicNanoseconds() < due { sleep(untilMonotonic: due) }
        return due
    }

    /// The metric `closedLoop` becomes under this schedule.
    func metric(_ closedLoop: MetricName) -> MetricName {
        rate == nil ? closedLoop : OpenLoop.metric(closedLoop)
    }

    /// In an open loop, the `FAMILY.rate` check: whether `sent` requests, the last answered at
    /// `end`, went at the asked rate (at least `OpenLoop.keptShare` of it) in its own turns.
    func reportRate(sent: Int, lastAnswered end: UInt64, family: String, _ output: ProbeOutput) {
        guard let rate, sent > 0 else { return }
        let own = end > first ? end - first - min(skipped, end - first) : 0
        let achieved = own > 0 ? Double(sent) * 1e9 / Double(own) : 0
        let kept = achieved >= Double(rate) * OpenLoop.keptShare
        let went = "\(sent) requests due at \(rate)/s went at \(Int(achieved.rounded()))/s"
        output.check(OpenLoop.rateCheck(family), ok: kept, kept ? went : went + ": the client could not keep the rate (each request waits for the answer to the one before it)")
    }
}

import Glibc
