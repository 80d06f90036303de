/// Which namespaces a process runs in and on which kernel: identities, not look-alike values.
///
/// Two processes share a namespace exactly when `/proc/self/ns/KIND` has the same device and
/// inode in both; they share a kernel (and so its CLOCK_MONOTONIC) when the kernel's boot id is
/// the same. A runtime with a kernel of its own (gVisor, Kata) shows its own boot id, and its
/// namespace identities mean nothing next to the host's. A kernel that is not Linux may show
/// files there that are no namespace inodes (gVisor's are procfs files whose number is the
/// same in every sandbox): a number is kept only where the link names the inode `stat` gives,
/// as on Linux; otherwise the reason is kept instead.
public struct NamespaceIdentity: Codable, Sendable, Equatable {
    /// The namespace kinds a probe reports; `time` and `cgroup` are recorded, not judged.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case net, ipc, uts, pid, mnt, cgroup, time
    }

    /// `DEVICE:INODE` of each namespace that could be read.
    public var namespaces: [String: String]
    /// `/proc/sys/kernel/random/boot_id`, or nil when it could not be read.
    public var kernel: String?
    /// Why a kind has no identity, for each kind that has none.
    public var unidentified: [String: String]?
    /// The kernel's release and version (uname), which names it in messages.
    public var release: String?

    public init(namespaces: [String: String], kernel: String?, unidentified: [String: String]? = nil, release: String? = nil) {
        self.namespaces = namespaces
        self.kernel = kernel
        self.unidentified = unidentified
        self.release = release
    }

    public subscript(kind: Kind) -> String? { namespaces[kind.rawValue] }

    /// Why `kind` has no identity, when it has none.
    public func whyUnidentified(_ kind: Kind) -> String? {
        guard self[kind] == nil else { return nil }
        return unidentified?[kind.rawValue] ?? "no \(kind.rawValue) namespace identity was reported"
    }

    /// The identity of the calling process.
    public static func current() -> NamespaceIdentity {
        var namespaces: [String: String] = [:]
        var unidentified: [String: String] = [:]
        for kind in Kind.allCases {
            switch identify(kind) {
            case .success(let id): namespaces[kind.rawValue] = id
            case .failure(let why): unidentified[kind.rawValue] = why.text
            }
        }
        return NamespaceIdentity(namespaces: namespaces, kernel: bootID(), unidentified: unidentified.isEmpty ? nil : unidentified, release: release())
    }

    private struct Unidentified: Error { let text: String }

    /// `DEVICE:INODE` of `/proc/self/ns/KIND` when its link names that inode (`KIND:[INODE]`).
    private static func identify(_ kind: Kind) -> Result<String, Unidentified> {
        let path = "/proc/self/ns/" + kind.rawValue
        var status = stat()
        guard stat(path, &status) == 0 else {
            return .failure(Unidentified(text: "stat \(path): \(errnoText(errno))"))
        }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = readlink(path, &buffer, buffer.count - 1)
        let link = length > 0 ? String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unreadable"
        let id = "\(status.st_dev):\(status.st_ino)"
        guard link == "\(kind.rawValue):[\(status.st_ino)]" else {
            return .failure(Unidentified(text: "\(path) is no namespace inode (stat gives \(id), its link \(link))"))
        }
        return .success(id)
    }

    private static func release() -> String? {
        var names = utsname()
        guard uname(&names) == 0 else { return nil }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return text(names.release) + " " + text(names.version)
    }

    private static func bootID() -> String? {
        firstLine(of: "/proc/sys/kernel/random/boot_id")
    }
}

/// `hold`: how long a probe that needs no peer stays running, so that the containers of its
/// pod run at once and their namespace identities can be compared (the kernel reuses a dead
/// namespace's number).
extension NamespaceIdentity {
    public static let holdParameter = Parameter.duration("hold", default: "2s", "how long to stay running, so that the pod's containers run at once and their namespaces can be compared")
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
