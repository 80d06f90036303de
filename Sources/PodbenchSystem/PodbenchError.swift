/// Exit statuses, the same for every command.
public enum ExitStatus: Int32, Sendable {
    /// Every MUST check passed.
    case passed = 0
    /// A check failed.
    case failed = 1
    /// Bad input or usage.
    case badInput = 2
    /// The runtime or the infrastructure failed.
    case infrastructure = 3
    /// Interrupted by a signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT).
    case interrupted = 130
}

/// The one error podbench reports: what kind of failure it is (which decides the exit status),
/// what failed and what to do, and what caused it.
///
/// Every module throws its own errors where they are richer (`ScenarioErrors`, `RuntimeError`),
/// and says what each is in podbench's terms (`PodbenchErrorConvertible`); anything else is a
/// failure of podbench or its environment (exit 3), never "a check failed" (exit 1).
public struct PodbenchError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Bad input or usage: a scenario file, an option, a database that is not podbench's.
        case badInput
        /// Something named does not exist: a run, a file, a scenario.
        case notFound
        /// The runtime or the infrastructure failed: no verdict.
        case runtime
        /// The results database failed.
        case store
        /// Interrupted by a signal.
        case interrupted

        /// The exit status: 2 bad input, 3 podbench or its environment, 130 interrupted.
        public var exitStatus: ExitStatus {
            switch self {
            case .badInput, .notFound: .badInput
            case .runtime, .store: .infrastructure
            case .interrupted: .interrupted
            }
        }
    }

    public var code: Code
    public var message: String
    public var cause: String?

    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// What `error` is: a PodbenchError as it is; what a module's error says it is; a
    /// runtime's failure a runtime error; anything else a failure of podbench's environment (3), its
    /// text kept as the cause.
    public init(_ error: any Error) {
        switch error {
        case let error as PodbenchError:
            self = error
        case let error as any PodbenchErrorConvertible:
            self = error.podbenchError
        case let error as RuntimeError:
            self.init(.runtime, error.message, cause: error.cause)
        default:
            self.init(.runtime, "podbench failed", cause: String(describing: error))
        }
    }

    public var exitStatus: Int32 { code.exitStatus.rawValue }

    /// `message (cause: ...)`.
    public var description: String {
        cause.map { "\(message) (cause: \($0))" } ?? message
    }
}

/// An error of a module that knows what it is in podbench's terms.
public protocol PodbenchErrorConvertible: Error {
    var podbenchError: PodbenchError { get }
}
