import PodbenchProbeInterface

/// Publishes files on a shared volume: each written to a temporary name and renamed over the
/// published one (or, to show what the check catches, rewritten in place).
public struct FilePublisherProbe: Probe {
    public static let spec = FilePublisherRole.spec

    let path: String
    let count: Int
    let size: Int
    let interval: UInt64
    let publishing: Publishing
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        path = arguments[FilePublisherRole.path]
        count = arguments[FilePublisherRole.count]
        size = (arguments[FilePublisherRole.size] + 7) / 8 * 8
        interval = arguments[FilePublisherRole.interval]
        publishing = arguments[FilePublisherRole.publish]
        wait = arguments[FilePublisherRole.wait]
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

import Glibc
