/// Turns two measurements take on one machine (`run --calibrate`): time cut into turns of
/// `length` from `epoch`, the measurements taking them in rotation, so that a pod's round trips
/// and its host twin's share every moment of the machine while never running at once. A client
/// starts a timed exchange only in its own turn (and not in the turn's last eighth, so that one
/// rarely spills into the next); between its turns it sleeps.
public struct Turns: Sendable, Equatable, CustomStringConvertible {
    /// This measurement's turn: 0 to `count` - 1.
    public var turn: Int
    /// How many measurements take turns.
    public var count: Int
    /// One turn, in nanoseconds.
    public var length: UInt64
    /// When turn 0 first begins: CLOCK_REALTIME in nanoseconds, which a host's processes and its
    /// containers (and gVisor's sandboxes) read alike.
    public var epoch: UInt64

    public init(turn: Int, of count: Int, length: UInt64, epoch: UInt64) {
        self.turn = turn
        self.count = count
        self.length = length
        self.epoch = epoch
    }

    /// `0/2:5000000@1765130000123456789`: turn/count:length in ns@epoch.
    public var description: String { "\(turn)/\(count):\(length)@\(epoch)" }

    /// Reads `description`'s form; nil for anything else, or a turn outside its count.
    public init?(_ text: String) {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let epoch = UInt64(parts[1]) else { return nil }
        let rotation = parts[0].split(separator: ":", omittingEmptySubsequences: false)
        guard rotation.count == 2, let length = UInt64(rotation[1]), length >= Self.shortest, length <= Self.longest else { return nil }
        let share = rotation[0].split(separator: "/", omittingEmptySubsequences: false)
        guard share.count == 2, let turn = Int(share[0]), let count = Int(share[1]), (2...8).contains(count), (0..<count).contains(turn) else { return nil }
        self.init(turn: turn, of: count, length: length, epoch: epoch)
    }

    /// The shortest and longest turn a probe accepts: 100 us and 1 s.
    public static let shortest: UInt64 = 100_000
    public static let longest: UInt64 = 1_000_000_000

    /// The turn a measuring client takes beside others; podbench run gives it (`--calibrate`).
    public static let parameter = Parameter<Turns?>.turns("turns", "the turns this client's timed exchanges take beside another measurement's (podbench run --calibrate gives it: turn/count:length-ns@epoch-realtime-ns); always, without it")
}

extension ProbeSpec {
    /// Whether a container of the role times its exchanges only in its turns (`Turns`).
    public var takesTurns: Bool { parameter(named: Turns.parameter.spec.name) != nil }
}
