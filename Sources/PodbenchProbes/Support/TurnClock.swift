import PodbenchProbeInterface

/// A client's `Turns` on its own CLOCK_MONOTONIC: before each timed exchange it asks `wait()`,
/// which returns at once in the client's turn and otherwise sleeps until the next one. Without
/// turns it never waits. Outside any timed span: the wait is done before an exchange's start is
/// read.
struct TurnClock {
    /// The first rotation's start on CLOCK_MONOTONIC.
    private let start: UInt64
    /// Where this client's turn begins and its last start may be, within a rotation.
    private let first: UInt64, last: UInt64
    /// One rotation; 0 without turns.
    private let rotation: UInt64

    /// The epoch is on CLOCK_REALTIME, which every process of the machine reads alike; the turns
    /// are kept on CLOCK_MONOTONIC, which the exchanges are timed with, `offset` behind it.
    init(_ turns: Turns?, offset: UInt64 = Self.clockOffset()) {
        guard let turns else {
            (start, first, last, rotation) = (0, 0, 0, 0)
            return
        }
        // An epoch before the machine booted (never podbench run's) begins the rotations at boot.
        start = turns.epoch > offset ? turns.epoch - offset : 0
        rotation = turns.period
        first = turns.offset
        last = first + turns.length - turns.length / 8
    }

    /// How far CLOCK_REALTIME is ahead of CLOCK_MONOTONIC: the largest of a few reads, each
    /// the monotonic clock read right after the real-time one, so the least delayed (a
    /// process's first clock read can take microseconds, a tenth of a 100 us turn).
    static func clockOffset() -> UInt64 {
        var offset: UInt64 = 0
        for _ in 0..<4 { offset = max(offset, realtimeNanoseconds() &- monotonicNanoseconds()) }
        return offset
    }

    /// The earliest time from `time` on (CLOCK_MONOTONIC) that is in this client's turn.
    @inline(__always)
    func earliest(from time: UInt64) -> UInt64 {
        guard rotation > 0, time >= start else { return turnStart(from: time) }
        let position = (time - start) % rotation
        return position >= first && position < last ? time : turnStart(from: time)
    }

    /// The first start of this client's turn from `time` on (CLOCK_MONOTONIC): where an open
    /// loop's first request falls due, so that each after it does at its turn's start too.
    @inline(__always)
    func turnStart(from time: UInt64) -> UInt64 {
        guard rotation > 0 else { return time }
        if time < start { return start + first }
        let position = (time - start) % rotation
        return time - position + first + (position <= first ? 0 : rotation)
    }

    /// Returns in this client's turn: at once, or after sleeping until it begins.
    @inline(__always)
    func wait() {
        guard rotation > 0 else { return }
        let now = monotonicNanoseconds()
        let due = earliest(from: now)
        if due > now { sleep(untilMonotonic: due) }
    }
}
