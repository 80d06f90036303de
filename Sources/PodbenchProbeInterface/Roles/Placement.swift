/// Where the two ends of a measurement between containers run: on one CPU, on two, or
/// wherever the scheduler puts them. On a virtual machine a wake-up across CPUs costs several
/// times one on the same CPU, so a latency means something only with its placement.
public enum Placement: String, CaseIterable, Sendable, Codable {
    /// Both ends pinned to one CPU: each round trip is a switch between them.
    case sameCPU = "same-cpu"
    /// Each end pinned to a CPU of its own, as Kubernetes' static CPU manager gives each
    /// container of a Guaranteed pod exclusive CPUs: each round trip is a wake-up across CPUs.
    case crossCPU = "cross-cpu"
    /// Not pinned: the scheduler decides, and may decide differently from run to run.
    case free

    /// What `podbench run` measures at unless told: cross-cpu, what a pod whose containers
    /// have CPUs of their own sees, and stable from run to run (free is not).
    public static let standard = Placement.crossCPU

    /// The placement a role that takes part in a measurement between containers is run at.
    public static let parameter = Parameter<Placement>.choice("cpu", default: .free, "where this end of the measurement runs: same-cpu, cross-cpu (a CPU per side) or free (unpinned); podbench run sets it from --placement")
    /// Which end this container is: with cross-cpu, side N takes the Nth CPU it may use (round
    /// robin). Sides 2k and 2k+1 are the two ends of one measurement: a scenario lists each
    /// pair's containers one after the other.
    public static let side = Parameter.integer("cpu-side", 0...1023, default: "0", "this container's place among the scenario's measuring containers, each pair's two ends one after the other; podbench run numbers them")
    /// The parameters of every role that takes part in a measurement between containers.
    public static let parameters: [any DeclaredParameter] = [parameter, side]
}

extension ProbeSpec {
    /// Whether the role takes part in a measurement between containers, and so is pinned as
    /// the run's placement says.
    public var isPlaced: Bool { parameter(named: Placement.parameter.spec.name) != nil }
}

/// The CPUs one end of a measurement ran on, as its probe reports them when it finishes.
public struct CPUUse: Codable, Sendable, Equatable {
    /// The placement it was asked for.
    public var asked: Placement
    /// Which end it was (`cpu-side`): sides 2k and 2k+1 are the two ends of one measurement.
    public var side: Int
    /// The CPU it was pinned to; nil when it ran free.
    public var pinned: Int?
    /// Why it ran free although asked to be pinned (one CPU only, affinity refused).
    public var unpinned: String?
    /// The CPUs its container may use.
    public var allowed: [Int]
    /// The CPUs it was seen on: once pinned (or at the start), and at the end.
    public var ran: [Int]
    /// How often the scheduler moved it to another CPU meanwhile, where the kernel says
    /// (`/proc/self/sched`).
    public var migrations: Int?
    /// How often it was switched out while it could have run on (preempted) meanwhile.
    public var involuntarySwitches: Int

    public init(asked: Placement, side: Int, pinned: Int?, unpinned: String?, allowed: [Int], ran: [Int], migrations: Int?, involuntarySwitches: Int) {
        self.asked = asked
        self.side = side
        self.pinned = pinned
        self.unpinned = unpinned
        self.allowed = allowed
        self.ran = ran
        self.migrations = migrations
        self.involuntarySwitches = involuntarySwitches
    }

    /// The CPU side `side` is pinned to at `placement` among `allowed`, or why it cannot be.
    public static func cpu(for placement: Placement, side: Int, allowed: [Int]) -> Result<Int?, Unpinned> {
        switch placement {
        case .free:
            return .success(nil)
        case .sameCPU:
            guard let first = allowed.first else { return .failure(Unpinned("no CPU is allowed")) }
            return .success(first)
        case .crossCPU:
            guard allowed.count >= 2 else {
                return .failure(Unpinned("the container may use only CPU \(allowed.map(String.init).joined(separator: ", ")): there is no second CPU for the other side"))
            }
            return .success(allowed[side % allowed.count])
        }
    }

    /// Why a side cannot be pinned.
    public struct Unpinned: Error, Sendable, Equatable {
        public let reason: String
        public init(_ reason: String) { self.reason = reason }
    }
}
