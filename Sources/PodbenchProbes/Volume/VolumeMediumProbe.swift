/// Checks what file system backs a volume: `emptyDir: {medium: Memory}` must be tmpfs, the
/// disk medium must not be.
public struct VolumeMediumProbe: Probe {
    public static let spec = ProbeSpec(
        role: "volume-medium",
        summary: "Checks with statfs that a volume is tmpfs (medium Memory) or not (disk).",
        parameters: [ParameterSpec("path", .path, default: nil, "a directory inside the volume mount"),
                     ParameterSpec("medium", .choice(["memory", "disk"]), default: nil, "memory: the volume must be tmpfs; disk: it must not be"),
                     NamespaceIdentity.holdParameter],
        checks: ["volume.medium"],
        metrics: []
    )

    static let tmpfsMagic = 0x0102_1994

    let path: String
    let memory: Bool
    let hold: UInt64

    public init(_ arguments: ProbeArguments) {
        path = arguments.string("path")
        memory = arguments.string("medium") == "memory"
        hold = arguments.nanoseconds("hold")
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        defer { sleep(nanoseconds: hold) }
        var info = statfs()
        guard statfs(path, &info) == 0 else { throw .system("statfs \(path)", errno: errno) }
        let isTmpfs = Int(info.f_type) == Self.tmpfsMagic
        let seen = "\(path) is on " + (isTmpfs ? "tmpfs" : "a file system of type 0x\(String(UInt(bitPattern: Int(info.f_type)), radix: 16))")
        output.check("volume.medium", ok: isTmpfs == memory, seen + (isTmpfs == memory ? "" : memory ? ", not tmpfs as medium Memory requires" : ", though the volume is on disk"))
    }
}

import CPodbench
import Glibc
