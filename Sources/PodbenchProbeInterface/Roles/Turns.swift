/// Turns two measurements take on one machine (`run --calibrate`): time cut into rotations of
/// `period` from `epoch`, each measurement taking its own part of every rotation, so that a pod's
/// round trips and its host twin's share every few milliseconds of the machine while never
/// running at once. A client starts a timed exchange only in its turn (and not in the turn's
/// last eighth, so that one rarely spills into the next); between its turns it sleeps.
public struct Turns: Sendable, Equatable, CustomStringConvertible {
    /// Where in each rotation this client's turn begins, in nanoseconds.
    public var offset: UInt64
    /// How long its turn lasts, in nanoseconds.
    public var length: UInt64
    /// One rotation, every measurement's turn, in nanoseconds.
    public var period: UInt64
    /// When the first rotation begins: CLOCK_REALTIME in nanoseconds, which a host's processes
    /// and its containers (and gVisor's sandboxes) read alike.
    public var epoch: UInt64

    public init(offset: UInt64, length: UInt64, period: UInt64, epoch: UInt64) {
        self.offset = offset
        self.length = length
        self.period = period
        self.epoch = epoch
    }

    /// `4000000+1000000/5000000@1765130000123456789`: offset+length/period@epoch, in ns.
    public var description: String { "\(offset)+\(length)/\(period)@\(epoch)" }

    /// Reads `description`'s form; nil for anything else, or a turn outside its rotation.
    public init?(_ text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let epoch = UInt64(parts[1]) else { return nil }
        let rotation = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        guard rotation.count == 2, let period = UInt64(rotation[1]), period <= Self.longest else { return nil }
        let turn = rotation[0].split(separator: "+", omittingEmptySubsequences: false)
        guard turn.count == 2, let offset = UInt64(turn[0]), let length = UInt64(turn[1]), length >= Self.shortest, offset < period, length <= period - offset else { return nil }
        self.init(offset: offset, length: length, period: period, epoch: epoch)
    }

    /// The shortest turn and the longest rotation a probe accepts: 100 us and 1 s.
    public static let shortest: UInt64 = 100_000
    public static let longest: UInt64 = 1_000_000_000

    /// The turn a measuring client takes beside others; podbench run gives it (`--calibrate`).
    public static let parameter = Parameter<Turns?>.turns("turns", "the turn this client's timed exchanges take beside another measurement's (podbench run --calibrate gives it: offset+length/period@epoch, in ns, the epoch on CLOCK_REALTIME); always, without it")
}

extension ProbeSpec {
    /// Whether a container of the role times its exchanges only in its turns (`Turns`).
    public var takesTurns: Bool { parameter(named: Turns.parameter.spec.name) != nil }
}
