/// The runtime or the infrastructure failed: not a verdict on the pod.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var cause: String?

    public init(_ message: String, cause: String? = nil) {
        self.message = message
        self.cause = cause
    }

    public var description: String {
        cause.map { "\(message) (cause: \($0))" } ?? message
    }
}
