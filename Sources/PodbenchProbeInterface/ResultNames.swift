/// The name of a check a probe reports, declared once as a constant that the role's spec and
/// the probe both use.
public struct CheckName: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    public var description: String { text }
}

/// The name of a metric a probe reports, declared like a `CheckName`.
public struct MetricName: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    public var description: String { text }
}
