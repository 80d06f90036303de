import PodbenchProbeInterface

/// Reads the published file over and over through its own mount of the volume: every read
/// must find a whole file (never one half-written), and the last version must arrive intact.
public struct FileWatcherProbe: Probe {
    public static let spec = FileWatcherRole.spec

    let path: String
    let count: Int
    let size: Int
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        path = arguments[FileWatcherRole.path]
        count = arguments[FileWatcherRole.count]
        size = (arguments[FileWatcherRole.size] + 7) / 8 * 8
        wait = arguments[FileWatcherRole.wait]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let marker = open(path + ".watching", O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard marker >= 0 else { throw .system("create \(path).watching", errno: errno) }
        close(marker)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 8, alignment: 16)
        defer { buffer.deallocate() }
        var reads = 0, torn = 0
        var last: UInt64?
        // An idle deadline: a publisher that is slow (a loaded machine) but still publishing is
        // waited for; the scenario's timeout bounds the whole run.
        var deadline = monotonicNanoseconds() &+ wait
        var lastSeen: FileIdentity?
        var finished = false
        while monotonicNanoseconds() < deadline {
            finished = access(path + ".done", F_OK) == 0
            switch readWhole(buffer, unless: lastSeen) {
            case .missing:
                break
            case .unchanged:
                // The same version as last time (a big file takes long to check): wait for news.
                if !finished { sleep(nanoseconds: 1_000_000) }
            case .read(let length, let identity):
                reads += 1
                lastSeen = identity
                if let sequence = PublishedFile.verify(UnsafeRawBufferPointer(buffer), length: length) {
                    if sequence != last { deadline = monotonicNanoseconds() &+ wait }
                    last = sequence
                } else {
                    torn += 1
                    lastSeen = nil
                }
            }
            // The read after the publisher finished saw its last version.
            if finished { break }
        }
        let atomic = torn == 0 && reads > 0
        output.check(.volumeRenameAtomic, ok: atomic, reads == 0 ? "\(path) never appeared" : "\(torn) of \(reads) reads found a half-written file")
        let intact = last == UInt64(count - 1)
        output.check(.volumeChecksum, ok: intact, intact ? "the last version (\(count - 1)) of \(size) bytes arrived intact" : "the last intact version read was \(last.map(String.init) ?? "none"), expected \(count - 1)\(finished ? "" : " (no new version for \(DurationText.format(nanoseconds: Double(wait))))")")
    }

    /// What tells one version of the file from another: a rename brings a new inode, a
    /// rewrite in place a new modification time.
    struct FileIdentity: Equatable {
        var inode: UInt64
        var modified: Int
        var modifiedNanoseconds: Int
        var size: Int64
    }

    enum Read {
        case missing
        case unchanged
        case read(length: Int, identity: FileIdentity)
    }

    /// Reads the whole file, unless it is still the version `previous` was.
    private func readWhole(_ buffer: UnsafeMutableRawBufferPointer, unless previous: FileIdentity?) -> Read {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return .missing }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .missing }
        let identity = FileIdentity(inode: UInt64(info.st_ino), modified: info.st_mtim.tv_sec, modifiedNanoseconds: info.st_mtim.tv_nsec, size: Int64(info.st_size))
        if identity == previous { return .unchanged }
        var length = 0
        while length < buffer.count {
            let n = read(fd, buffer.baseAddress! + length, buffer.count - length)
            if n <= 0 { break }
            length += n
        }
        return .read(length: length, identity: identity)
    }
}

import Glibc
