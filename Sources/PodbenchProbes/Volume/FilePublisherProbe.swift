/// Publishes files on a shared volume: each written to a temporary name and renamed over the
/// published one (or, to show what the check catches, rewritten in place).
public struct FilePublisherProbe: Probe {
    public static let spec = ProbeSpec(
        role: "file-publisher",
        summary: "Publishes checksummed files on a volume by rename (or in place), for a watcher in another container.",
        parameters: [path, count, size, interval, publish, wait],
        checks: [.volumePublished]
    )
    static let path = Parameter.path("path", "the published file, inside a volume mount")
    static let count = Parameter.integer("count", 1...100_000, default: "100", "how many versions to publish")
    static let size = Parameter.integer("size", 64...1_073_741_824, default: "65536", "each file's size in bytes (rounded up to 8)")
    static let interval = Parameter.duration("interval", default: "2ms", "the pause between versions")
    static let publish = Parameter<Publishing>.choice("publish", default: .rename, "rename: atomic; in-place: rewrite the file where it is")
    static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the watcher", scaling: .waiting)

    let path: String
    let count: Int
    let size: Int
    let interval: UInt64
    let publishing: Publishing
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        path = arguments[Self.path]
        count = arguments[Self.count]
        size = (arguments[Self.size] + 7) / 8 * 8
        interval = arguments[Self.interval]
        publishing = arguments[Self.publish]
        wait = arguments[Self.wait]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        guard waitForFile(path + ".watching", timeout: wait) else {
            return output.check(.volumePublished, ok: false, "no watcher announced itself at \(path).watching within \(DurationText.format(nanoseconds: Double(wait)))")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        let temporary = path + ".tmp"
        let start = monotonicNanoseconds()
        for sequence in 0..<count {
            if sequence > 0 { sleep(nanoseconds: interval) }
            PublishedFile.fill(buffer, sequence: UInt64(sequence))
            let target = publishing == .rename ? temporary : path
            let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW
            let fd = open(target, flags, 0o644)
            guard fd >= 0 else { throw .system("open \(target)", errno: errno) }
            var written = 0
            while written < size {
                // In pieces, as real writers do: a reader in between sees what is there.
                let n = write(fd, buffer.baseAddress! + written, min(16384, size - written))
                if n <= 0 { close(fd); throw .system("write \(target)", errno: errno) }
                written += n
            }
            close(fd)
            if publishing == .rename, rename(temporary, path) != 0 { throw .system("rename to \(path)", errno: errno) }
        }
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        touch(path + ".done")
        let rate = Double(count * size) / 1_048_576 / max(seconds, 1e-9)
        output.check(.volumePublished, ok: true, "\(count) versions of \(size) bytes published by \(publishing.rawValue) (\(Int(rate)) MiB/s with pauses)")
    }
}

extension CheckName {
    static let volumePublished = CheckName("volume.published")
}

import Glibc
