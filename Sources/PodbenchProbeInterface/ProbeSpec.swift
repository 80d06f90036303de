/// What a probe role is: its parameters and the checks and metrics it reports.
///
/// The scenario loader validates a container's `args` against this, and the probe parses its
/// command line with it, so a scenario and the probe can never disagree about a parameter.
public struct ProbeSpec: Sendable {
    /// The role name a scenario's container names in `probe:`.
    public let role: String
    /// One line on what the role does.
    public let summary: String
    public let parameters: [ParameterSpec]
    /// The checks this role reports (each a pass or a fail).
    public let checks: [CheckName]
    /// The latency metrics this role reports (in ns), which a host twin can calibrate.
    public let metrics: [MetricName]
    /// The throughputs this role reports (MB/s), which no twin calibrates.
    public let throughputs: [MetricName]
    /// Whether what is left of its time, once its own check is made, is spent only for the
    /// others: holding something for them to see, or waiting for a peer that must not come.
    /// Runtimes that can release such a probe (SIGUSR1) do so once every container has started
    /// and every container that does not stay for others has ended.
    public let staysForOthers: Bool
    /// Where a container reports only some of `checks`, the choice that picks them.
    public let checkSelection: CheckSelection?
    /// The side it takes in a pair that meets on a channel, if it does.
    public let pairing: Pairing?

    public init(role: String, summary: String, parameters: [any DeclaredParameter], checks: [CheckName], metrics: [MetricName] = [], throughputs: [MetricName] = [], staysForOthers: Bool = false, checkSelection: CheckSelection? = nil, pairing: Pairing? = nil) {
        self.role = role
        self.summary = summary
        self.parameters = parameters.map(\.spec)
        self.checks = checks
        self.metrics = metrics
        self.throughputs = throughputs
        self.staysForOthers = staysForOthers
        self.checkSelection = checkSelection
        self.pairing = pairing
    }

    /// The checks a container of this role reports, given its parameters' values (as written,
    /// else their defaults): all of `checks`, or those its selecting choice picks.
    public func checks(given value: (ParameterSpec) -> String?) -> [CheckName] {
        guard let selection = checkSelection, let chosen = value(selection.parameter) else { return checks }
        return selection.checks[chosen] ?? []
    }

    public func parameter(named name: String) -> ParameterSpec? {
        parameters.first { $0.name == name }
    }
}

/// The checks a role reports for each value of one of its choices (its transport, its
/// channel kind, its lock kind): a container reports only those of its own choice.
public struct CheckSelection: Sendable {
    public let parameter: ParameterSpec
    public let checks: [String: [CheckName]]

    public init<Choice: RawRepresentable & CaseIterable & Sendable>(_ parameter: Parameter<Choice>, _ checks: (Choice) -> [CheckName]) where Choice.RawValue == String {
        self.parameter = parameter.spec
        self.checks = Dictionary(uniqueKeysWithValues: Choice.allCases.map { ($0.rawValue, checks($0)) })
    }
}

/// One parameter of a probe role.
public struct ParameterSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        /// An integer within bounds; accepts `0x` hexadecimal.
        case integer(ClosedRange<Int>)
        /// A duration such as `250ms`, `2s` or `1m`.
        case duration
        /// An absolute path inside the container.
        case path
        /// One of a few words.
        case choice([String])
        /// A DNS label, such as a pod's name.
        case name
        /// Events a second within bounds, written `20000/s`.
        case rate(ClosedRange<Int>)
        /// An IPv4 or IPv6 address, such as a pod's.
        case address
        /// Turns taken beside another measurement (`Turns`).
        case turns
    }

    public let name: String
    public let kind: Kind
    /// The default as text, or nil when there is none.
    public let defaultValue: String?
    /// Whether a scenario must give it: it has no default and is not optional.
    public let isRequired: Bool
    public let summary: String
    public let scaling: ParameterScaling
    /// Whether the runtime gives it, never the scenario (a peer pod's address).
    public let isSetByRuntime: Bool

    init(_ name: String, _ kind: Kind, default defaultValue: String?, _ summary: String, optional: Bool = false, scaling: ParameterScaling = .fixed, setByRuntime: Bool = false) {
        self.name = name
        self.isSetByRuntime = setByRuntime
        self.kind = kind
        self.defaultValue = defaultValue
        self.isRequired = defaultValue == nil && !optional
        self.summary = summary
        self.scaling = scaling
    }

    /// The longest duration a parameter takes (24h), so that scaling it cannot overflow.
    public static let longestDuration: UInt64 = 24 * 3_600_000_000_000

    /// A description of what the parameter accepts, for error messages.
    public var expectation: String {
        switch kind {
        case .integer(let range): "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .duration: "a duration such as 250ms, 2s or 1m"
        case .path: "an absolute path"
        case .choice(let words): "one of " + words.joined(separator: ", ")
        case .name: "a name of lowercase letters, digits and '-'"
        case .rate(let range): "a rate such as 20000/s, from \(range.lowerBound)/s to \(range.upperBound)/s"
        case .address: "an IPv4 or IPv6 address"
        case .turns: "a turn such as 4000000+1000000/5000000@1765130000123456789 (offset+length/period@epoch, in ns)"
        }
    }

    /// Checks a value; returns a reason when it is not acceptable.
    public func problem(with text: String) -> String? {
        switch kind {
        case .integer(let range):
            guard let value = Self.integer(text) else { return "'\(text)' is not an integer" }
            return range.contains(value) ? nil : "\(value) is out of range"
        case .duration:
            guard let value = DurationText.nanoseconds(text) else { return "'\(text)' is not a duration" }
            return value > Self.longestDuration ? "'\(text)' is longer than 24h" : nil
        case .path:
            guard text.hasPrefix("/") else { return "'\(text)' is not absolute" }
            return text.split(separator: "/").contains("..") ? "'\(text)' contains '..'" : nil
        case .choice(let words):
            return words.contains(text) ? nil : "'\(text)' is not allowed"
        case .name:
            let valid = !text.isEmpty && text.count <= 63 && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
            return valid ? nil : "'\(text)' is not a name"
        case .rate(let range):
            guard let value = Self.rate(text) else { return "'\(text)' is not a rate such as 20000/s" }
            return range.contains(value) ? nil : "\(value)/s is out of range"
        case .address:
            return IPAddress(text) == nil ? "'\(text)' is not an IPv4 or IPv6 address" : nil
        case .turns:
            return Turns(text) == nil ? "'\(text)' is not a turn" : nil
        }
    }

    /// Parses `N/s`: events a second (`NumberText`).
    public static func rate(_ text: String) -> Int? {
        guard text.hasSuffix("/s"), let value = NumberText.integer(text.dropLast(2)), value > 0 else { return nil }
        return value
    }

    /// Parses decimal or `0x` hexadecimal integers (`NumberText`).
    public static func integer(_ text: String) -> Int? {
        NumberText.integer(Substring(text), hexadecimal: true)
    }
}
