/// Reads the published file over and over through its own mount of the volume: every read
/// must find a whole file (never one half-written), and the last version must arrive intact.
public struct FileWatcherProbe: Probe {
    public static let spec = ProbeSpec(
        role: "file-watcher",
        summary: "Rereads a file published on a volume; checks it is never half-written and the last version is intact.",
        parameters: [ParameterSpec("path", .path, default: nil, "the published file, inside a volume mount"),
                     ParameterSpec("count", .integer(1...100_000), default: "100", "how many versions the publisher publishes"),
                     ParameterSpec("size", .integer(64...1_073_741_824), default: "65536", "each file's size in bytes, as the publisher's"),
                     ParameterSpec("wait", .duration, default: "20s", "how long to wait for the publisher to finish")],
        checks: ["volume.rename-atomic", "volume.checksum"],
        metrics: []
    )

    let path: String
    let count: Int
    let size: Int
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        path = arguments.string("path")
        count = arguments.integer("count")
        size = (arguments.integer("size") + 7) / 8 * 8
        wait = arguments.nanoseconds("wait")
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let marker = open(path + ".watching", O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard marker >= 0 else { throw .system("create \(path).watching", errno: errno) }
        close(marker)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 8, alignment: 16)
        defer { buffer.deallocate() }
        var reads = 0, torn = 0
        var last: UInt64?
        let deadline = monotonicNanoseconds() &+ wait
        while monotonicNanoseconds() < deadline {
            let finished = access(path + ".done", F_OK) == 0
            if let length = readWhole(buffer) {
                reads += 1
                if let sequence = PublishedFile.verify(UnsafeRawBufferPointer(buffer), length: length) {
                    last = sequence
                } else {
                    torn += 1
                }
            }
            // The read after the publisher finished saw its last version.
            if finished { break }
        }
        let atomic = torn == 0 && reads > 0
        output.check("volume.rename-atomic", ok: atomic, reads == 0 ? "\(path) never appeared" : "\(torn) of \(reads) reads found a half-written file")
        let intact = last == UInt64(count - 1)
        output.check("volume.checksum", ok: intact, intact ? "the last version (\(count - 1)) of \(size) bytes arrived intact" : "the last intact version read was \(last.map(String.init) ?? "none"), expected \(count - 1)")
    }

    /// The file's bytes, or nil while it does not exist.
    private func readWhole(_ buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var length = 0
        while length < buffer.count {
            let n = read(fd, buffer.baseAddress! + length, buffer.count - length)
            if n <= 0 { break }
            length += n
        }
        return length
    }
}

import Glibc
