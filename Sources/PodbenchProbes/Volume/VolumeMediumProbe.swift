import PodbenchProbeInterface

/// Checks what file system backs a volume: `emptyDir: {medium: Memory}` must be tmpfs, the
/// disk medium must not be.
public struct VolumeMediumProbe: Probe {
    public static let spec = VolumeMediumRole.spec

    static let tmpfsMagic = 0x0102_1994
    /// The names of file systems an emptyDir is found on (statfs's f_type, linux/magic.h).
    static let fileSystemNames: [UInt: String] = [
        0xEF53: "ext4", 0x5846_5342: "xfs", 0x9123_683E: "btrfs", 0x794C_7630: "overlayfs",
        0x0102_1997: "9p, as gVisor's gofer shows a host directory", 0x6573_5546: "fuse",
    ]

    let path: String
    let memory: Bool
    let hold: UInt64

    public init(_ arguments: ProbeArguments) {
        path = arguments[VolumeMediumRole.path]
        memory = arguments[VolumeMediumRole.medium] == .memory
        hold = arguments[NamespaceIdentity.holdParameter]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        defer { Release.hold(upTo: hold) }
        var info = statfs()
        guard statfs(path, &info) == 0 else { throw .system("statfs \(path)", errno: errno) }
        let isTmpfs = Int(info.f_type) == Self.tmpfsMagic
        let type = UInt(bitPattern: Int(info.f_type))
        let seen = "\(path) is on " + (isTmpfs ? "tmpfs" : "a file system of type 0x\(String(type, radix: 16))" + (Self.fileSystemNames[type].map { " (\($0))" } ?? ""))
        output.check(.volumeMedium, ok: isTmpfs == memory, seen + (isTmpfs == memory ? "" : memory ? ", not tmpfs as medium Memory requires" : ", though the volume is on disk"))
    }
}

import CPodbench
import Glibc
