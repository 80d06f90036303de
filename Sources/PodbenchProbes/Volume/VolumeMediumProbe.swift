/// Checks what file system backs a volume: `emptyDir: {medium: Memory}` must be tmpfs, the
/// disk medium must not be.
public struct VolumeMediumProbe: Probe {
    public static let spec = ProbeSpec(
        role: "volume-medium",
        summary: "Checks with statfs that a volume is tmpfs (medium Memory) or not (disk).",
        parameters: [path, medium, NamespaceIdentity.holdParameter],
        checks: [.volumeMedium]
    )
    static let path = Parameter.path("path", "a directory inside the volume mount")
    static let medium = Parameter<Medium>.choice("medium", default: nil, "memory: the volume must be tmpfs; disk: it must not be")

    /// The volume's medium, as the scenario declares it.
    enum Medium: String, CaseIterable, Sendable {
        case memory, disk
    }

    static let tmpfsMagic = 0x0102_1994

    let path: String
    let memory: Bool
    let hold: UInt64

    public init(_ arguments: ProbeArguments) {
        path = arguments[Self.path]
        memory = arguments[Self.medium] == .memory
        hold = arguments[NamespaceIdentity.holdParameter]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        defer { sleep(nanoseconds: hold) }
        var info = statfs()
        guard statfs(path, &info) == 0 else { throw .system("statfs \(path)", errno: errno) }
        let isTmpfs = Int(info.f_type) == Self.tmpfsMagic
        let seen = "\(path) is on " + (isTmpfs ? "tmpfs" : "a file system of type 0x\(String(UInt(bitPattern: Int(info.f_type)), radix: 16))")
        output.check(.volumeMedium, ok: isTmpfs == memory, seen + (isTmpfs == memory ? "" : memory ? ", not tmpfs as medium Memory requires" : ", though the volume is on disk"))
    }
}

extension CheckName {
    static let volumeMedium = CheckName("volume.medium")
}

import CPodbench
import Glibc
