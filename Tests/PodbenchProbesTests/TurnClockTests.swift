import PodbenchProbeInterface
@testable import PodbenchProbes
import Testing

/// `Turns` on a client's clock: when a timed exchange may start.
@Suite struct TurnClockTests {
    static let ms: UInt64 = 1_000_000
    static let epoch: UInt64 = 5_000 * ms

    /// Turn `turn` of `count` equal turns of 10 ms.
    static func clock(turn: Int, of count: Int = 2) -> TurnClock {
        TurnClock(Turns(offset: UInt64(turn) * 10 * ms, length: 10 * ms, period: UInt64(count) * 10 * ms, epoch: epoch), offset: 0)
    }

    @Test func anExchangeStartsInItsOwnTurnAndWaitsOutTheOthers() {
        let first = Self.clock(turn: 0), second = Self.clock(turn: 1)
        let at = { (offset: UInt64) in Self.epoch + offset * Self.ms }
        #expect(first.earliest(from: 0) == at(0), "before the epoch: the first turn")
        #expect(second.earliest(from: 0) == at(10))
        #expect(first.earliest(from: at(3)) == at(3), "in its turn: at once")
        #expect(second.earliest(from: at(3)) == at(10), "in the other's: when its own begins")
        #expect(first.earliest(from: at(15)) == at(20))
        #expect(second.earliest(from: at(12)) == at(12))
        #expect(first.earliest(from: at(9)) == at(20), "not in the turn's last eighth: one would spill into the next")
        #expect(second.earliest(from: at(19)) == at(30))
        #expect(TurnClock(nil).earliest(from: 1234) == 1234, "without turns: always")
        #expect(first.turnStart(from: at(3)) == at(20) && first.turnStart(from: at(20)) == at(20) && second.turnStart(from: at(3)) == at(10) && second.turnStart(from: at(12)) == at(30),
                "an open loop's first request: the next start of its turn, not a moment within it")
        #expect(first.turnStart(from: 0) == at(0) && TurnClock(nil).turnStart(from: 1234) == 1234)
        let beforeBoot = TurnClock(Turns(offset: 0, length: 10 * Self.ms, period: 20 * Self.ms, epoch: 1), offset: 2)
        #expect(beforeBoot.earliest(from: 30 * Self.ms) == 40 * Self.ms && beforeBoot.earliest(from: 25 * Self.ms) == 25 * Self.ms, "an epoch before boot: rotations from boot, not a wait of centuries")
        let short = TurnClock(Turns(offset: 4 * Self.ms, length: Self.ms, period: 5 * Self.ms, epoch: Self.epoch), offset: 0)
        #expect(short.earliest(from: at(1)) == at(4) && short.earliest(from: at(4) + Self.ms / 2) == at(4) + Self.ms / 2 && short.earliest(from: at(5)) == at(9), "a short turn at the rotation's end")
    }

    @Test(arguments: [(0, 2), (1, 2), (2, 3)])
    func noMomentIsTwoClientsTurns(turn: Int, count: Int) {
        let clocks = (0..<count).map { Self.clock(turn: $0, of: count) }
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        for _ in 0..<10_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let time = Self.epoch + state % (500 * Self.ms)
            let starts = clocks.map { $0.earliest(from: time) }
            #expect(starts.filter { $0 == time }.count <= 1, "at \(time) two turns at once")
            let mine = starts[turn]
            #expect(mine >= time && mine - time < UInt64(count) * 10 * Self.ms, "the next turn comes within a rotation")
            #expect(clocks[turn].earliest(from: mine) == mine, "and is a moment of the turn")
        }
    }

    @Test func turnsReadBackAsWritten() {
        let turns = Turns(offset: 4 * Self.ms, length: Self.ms, period: 5 * Self.ms, epoch: 1_765_130_000_123_456_789)
        #expect(turns.description == "4000000+1000000/5000000@1765130000123456789")
        #expect(Turns(turns.description) == turns)
        for bad in ["4000000+2000000/5000000@1", "5000000+1000000/5000000@1", "0+10/5000000@1", "0+1000000/5000000", "0+1000000/5000000@x", "-1+1000000/5000000@1", "0+1000000/2000000000@1", ""] {
            #expect(Turns(bad) == nil, "\(bad)")
            #expect(Turns.parameter.spec.problem(with: bad) != nil)
        }
    }
}
