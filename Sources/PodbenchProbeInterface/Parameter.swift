/// A probe parameter declared once, with the type the probe reads: the role's spec lists it and
/// the probe reads it with `arguments[parameter]`, so a misspelt name is a compile error and no
/// value is read by string.
public struct Parameter<Value: Sendable>: Sendable {
    public let spec: ParameterSpec
    private let decode: @Sendable (String) -> Value?
    /// The value when the parameter has no value and no default (an optional path's nil).
    private let absent: Value?

    private init(_ spec: ParameterSpec, absent: Value? = nil, _ decode: @escaping @Sendable (String) -> Value?) {
        self.spec = spec
        self.absent = absent
        self.decode = decode
    }

    /// The value of a validated text, or of no text.
    func value(_ text: String?) -> Value? {
        text.flatMap(decode) ?? absent
    }
}

/// A parameter, whatever its type, as a role's spec lists it.
public protocol DeclaredParameter: Sendable {
    var spec: ParameterSpec { get }
}

extension Parameter: DeclaredParameter {}

extension Parameter where Value == Int {
    /// An integer within `range` (decimal or `0x` hexadecimal).
    public static func integer(_ name: String, _ range: ClosedRange<Int>, default value: String, _ summary: String, scaling: ParameterScaling = .fixed) -> Self {
        Self(ParameterSpec(name, .integer(range), default: value, summary, scaling: scaling)) { ParameterSpec.integer($0) }
    }
}

extension Parameter where Value == UInt64 {
    /// A duration such as `250ms`, read in nanoseconds.
    public static func duration(_ name: String, default value: String, _ summary: String, scaling: ParameterScaling = .fixed) -> Self {
        Self(ParameterSpec(name, .duration, default: value, summary, scaling: scaling)) { DurationText.nanoseconds($0) }
    }
}

extension Parameter where Value == String {
    /// An absolute path the scenario must give.
    public static func path(_ name: String, _ summary: String) -> Self {
        Self(ParameterSpec(name, .path, default: nil, summary)) { $0 }
    }

    /// A DNS label the scenario must give, such as a pod's name.
    public static func name(_ name: String, _ summary: String) -> Self {
        Self(ParameterSpec(name, .name, default: nil, summary)) { $0 }
    }
}

extension Parameter where Value == String? {
    /// A DNS label the scenario may give, such as another pod's name; nil when it does not.
    public static func optionalName(_ name: String, _ summary: String) -> Self {
        Self(ParameterSpec(name, .name, default: nil, summary, optional: true), absent: .some(nil)) { $0 }
    }

    /// An absolute path the scenario may give; nil when it does not.
    public static func optionalPath(_ name: String, _ summary: String) -> Self {
        Self(ParameterSpec(name, .path, default: nil, summary, optional: true), absent: .some(nil)) { $0 }
    }
}

extension Parameter where Value == IPAddress? {
    /// An address the runtime gives the probe (never the scenario); nil when it gives none.
    public static func runtimeAddress(_ name: String, _ summary: String) -> Self {
        Self(ParameterSpec(name, .address, default: nil, summary, optional: true, setByRuntime: true), absent: .some(nil)) { IPAddress($0) }
    }
}

extension Parameter where Value == Int? {
    /// A rate such as `20000/s` within `range`, in events a second; nil when not given.
    public static func optionalRate(_ name: String, _ range: ClosedRange<Int>, _ summary: String) -> Self {
        Self(ParameterSpec(name, .rate(range), default: nil, summary, optional: true), absent: .some(nil)) { ParameterSpec.rate($0) }
    }
}

extension Parameter where Value == Turns? {
    /// Turns that podbench run gives (never the scenario); nil when it gives none.
    static func turns(_ name: String, _ summary: String) -> Self {
        Self(ParameterSpec(name, .turns, default: nil, summary, optional: true, setByRuntime: true), absent: .some(nil)) { Turns($0) }
    }
}

extension Parameter where Value: CaseIterable & RawRepresentable & Sendable, Value.RawValue == String {
    /// One of the cases of `Value`, named by their raw values; required when `value` is nil.
    public static func choice(_ name: String, default value: Value?, _ summary: String) -> Self {
        let words = Value.allCases.map(\.rawValue)
        return Self(ParameterSpec(name, .choice(words), default: value?.rawValue, summary)) { Value(rawValue: $0) }
    }
}

/// What `--scale` does to a parameter.
public enum ParameterScaling: Sendable, Equatable {
    /// Left as written: what the probe checks.
    case fixed
    /// How much the probe measures (rounds, connects): multiplied, within its range.
    case measurement
    /// How long the probe waits for a peer or runs: multiplied, so that the longer measurement
    /// of a peer (or of a client that goes `after` it) is not outlasted.
    case waiting
}
