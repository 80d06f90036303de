/// Which namespaces a process runs in and on which kernel: identities, not look-alike values.
///
/// Two processes share a namespace exactly when `/proc/self/ns/KIND` has the same device and
/// inode in both; they share a kernel (and so its CLOCK_MONOTONIC) when the kernel's boot id is
/// the same. A runtime with a kernel of its own (gVisor, Kata) shows its own boot id, and its
/// namespace identities mean nothing next to the host's.
public struct NamespaceIdentity: Codable, Sendable, Equatable {
    /// The namespace kinds a probe reports; `time` and `cgroup` are recorded, not judged.
    public enum Kind: String, CaseIterable, Codable, Sendable {
        case net, ipc, uts, pid, mnt, cgroup, time
    }

    /// `DEVICE:INODE` of each namespace that could be read.
    public var namespaces: [String: String]
    /// `/proc/sys/kernel/random/boot_id`, or nil when it could not be read.
    public var kernel: String?

    public init(namespaces: [String: String], kernel: String?) {
        self.namespaces = namespaces
        self.kernel = kernel
    }

    public subscript(kind: Kind) -> String? { namespaces[kind.rawValue] }

    /// The identity of the calling process.
    public static func current() -> NamespaceIdentity {
        var namespaces: [String: String] = [:]
        for kind in Kind.allCases {
            var status = stat()
            if stat("/proc/self/ns/" + kind.rawValue, &status) == 0 {
                namespaces[kind.rawValue] = "\(status.st_dev):\(status.st_ino)"
            }
        }
        return NamespaceIdentity(namespaces: namespaces, kernel: bootID())
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
