import Foundation

/// A CRI endpoint podbench could not connect to, with why and what to do.
public struct CRIUnreachable: Error, Sendable, CustomStringConvertible {
    public let endpoint: CRIEndpoint
    public let reason: Reason

    /// Why a connection could not be made: each with its own next step.
    public enum Reason: Sendable, Equatable {
        case noSuchPath
        /// The path is something else: "a directory", "a regular file"...
        case notASocket(String)
        case permissionDenied
        /// A socket nobody listens on (ECONNREFUSED): the runtime that made it has gone.
        case nothingListening
        case timedOut
        case other(Int32)

        /// What the path is, when that alone says the endpoint cannot be reached; nil for a
        /// socket (the connection tells the rest).
        init?(checking path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else {
                self.init(errno: errno)
                return
            }
            switch info.st_mode & S_IFMT {
            case S_IFSOCK: return nil
            case S_IFDIR: self = .notASocket("a directory")
            case S_IFREG: self = .notASocket("a regular file")
            default: self = .notASocket("a special file")
            }
        }

        init(errno code: Int32) {
            switch code {
            case ENOENT, ENOTDIR: self = .noSuchPath
            case EACCES, EPERM: self = .permissionDenied
            case ECONNREFUSED: self = .nothingListening
            case ETIMEDOUT: self = .timedOut
            default: self = .other(code)
            }
        }

        /// What is wrong, then what to do.
        public var explanation: String {
            switch self {
            case .noSuchPath:
                "no such file: is the runtime running? Start containerd (systemctl start containerd, or scripts/private-containerd start), or name its socket with --cri-endpoint or $PODBENCH_CRI_ENDPOINT"
            case .notASocket(let kind):
                "it is \(kind), not a socket: --cri-endpoint names the runtime's socket, such as \(CRIEndpoint.containerd)"
            case .permissionDenied:
                "permission denied: the runtime's socket is root's; run podbench as root"
            case .nothingListening:
                "nothing listens on it (connection refused): the runtime that made the socket has stopped; start it again"
            case .timedOut:
                "no answer within 10 s: the runtime is stuck or overloaded"
            case .other(let code):
                String(cString: strerror(code))
            }
        }
    }

    public var description: String { "cannot reach the runtime at \(endpoint): \(reason.explanation)" }
}

/// A CRI call the runtime answered with a gRPC status other than OK.
public struct CRICallFailed: Error, Sendable, CustomStringConvertible {
    /// The method, `runtime.v1.RuntimeService/RunPodSandbox`.
    public let method: String
    /// The gRPC status code (2 unknown, 5 not found, 12 unimplemented, 14 unavailable...).
    public let code: Int
    /// The runtime's message.
    public let message: String

    public var description: String { message.isEmpty ? "\(method): gRPC status \(code)" : message }
}
