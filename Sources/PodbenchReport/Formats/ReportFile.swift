import CPodbench
import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchSystem

/// Writes report files whole or not at all, and never replaces what is not a file.
///
/// A regular file (or a path with nothing there yet) is written into an unnamed file beside
/// it that replaces it only when complete, so a reader or an interruption never sees half a
/// report and nothing is left behind; a symbolic link is followed, never replaced, and the
/// file keeps its mode. What is not a regular file is written through, never replaced: a FIFO,
/// a terminal, /dev/null or /dev/full, and podbench's own standard output or error (however it
/// is named: /dev/stdout, /proc/self/fd/1). Anything else (a directory, a disk, another device,
/// a socket) is refused before any work is done (`problem(writing:)`).
public enum ReportFile {
    /// A report file that could not be written, said plainly (the system's reason, not a
    /// Foundation error's dump).
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Where a path leads, for writing.
    enum Destination: Equatable {
        /// A regular file, or nothing yet, at this path (symbolic links followed).
        case file(String)
        /// podbench's own standard output or error.
        case standardStream(Int32)
        /// A FIFO, a terminal, /dev/null or /dev/full.
        case through
    }

    /// How long a FIFO may go without a reader, or a reader without reading, before the write
    /// fails.
    static let readerWait = Duration.seconds(10)
    private static let waitText = "10s"

    /// Why `path` cannot take a report, or nil.
    public static func problem(writing path: String) -> String? {
        if case .failure(let problem) = destination(path) { return problem.reason }
        return nil
    }

    /// Writes `text` to `path`; a `Failure` when it cannot.
    public static func write(_ text: String, to path: String) throws {
        try stream(to: path) { write in try write(text) }
    }

    /// Writes what `body` hands to its writer as it comes, so that a big file never has to be
    /// held in memory. A file is replaced only once `body` returns; when `body` throws, it is
    /// left as it was. The error `body` throws is rethrown; one of writing is a `Failure`.
    public static func stream(to path: String, _ body: (_ write: (String) throws -> Void) throws -> Void) throws {
        switch destination(path) {
        case .failure(let problem):
            throw problem
        case .success(.standardStream(let fd)):
            try body { text in
                if let code = StandardStreams.writeAll(fd, text) { throw Failure(path: path, reason: errnoText(code)) }
            }
        case .success(.through):
            let fd = try openThrough(path)
            defer { close(fd) }
            try body { text in
                if let code = StandardStreams.writeAll(fd, text, stall: readerWait) {
                    throw Failure(path: path, reason: code == ETIMEDOUT ? "its reader took nothing for \(waitText)" : errnoText(code))
                }
            }
        case .success(.file(let target)):
            try replace(target, shownAs: path, body)
        }
    }

    /// What `path` is, for writing: where to write, or why not.
    static func destination(_ path: String) -> Result<Destination, Failure> {
        func refused(_ reason: String) -> Result<Destination, Failure> { .failure(Failure(path: path, reason: reason)) }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            var link = stat()
            if code == ENOENT, lstat(path, &link) == 0 { return refused("it is a symbolic link to nothing; name a file") }
            guard code == ENOENT else { return refused(code == ELOOP ? "its symbolic links loop" : errnoText(code)) }
            if let problem = directoryProblem(path) { return refused(problem) }
            return .success(.file(path))
        }
        for fd in [STDOUT_FILENO, STDERR_FILENO] {
            var stream = stat()
            if fstat(fd, &stream) == 0, stream.st_dev == info.st_dev, stream.st_ino == info.st_ino { return .success(.standardStream(fd)) }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            // A symbolic link stays: the file it leads to is replaced.
            guard let resolved = realpath(path, nil) else { return refused(errnoText(errno)) }
            let target = String(cString: resolved)
            free(resolved)
            if access(target, W_OK) != 0 { return refused("podbench may not write it (\(errnoText(errno)))") }
            if let problem = directoryProblem(target) { return refused(problem) }
            return .success(.file(target))
        case S_IFIFO:
            return access(path, W_OK) == 0 ? .success(.through) : refused("podbench may not write it (\(errnoText(errno)))")
        case S_IFCHR:
            guard writesThrough(device: info.st_rdev) else {
                return refused("it is a device (\(major(info.st_rdev)):\(minor(info.st_rdev))), not a file, a FIFO or a terminal; podbench writes no other device")
            }
            return access(path, W_OK) == 0 ? .success(.through) : refused("podbench may not write it (\(errnoText(errno)))")
        case S_IFDIR: return refused("it is a directory")
        case S_IFBLK: return refused("it is a block device (a disk); podbench never writes one")
        case S_IFSOCK: return refused("it is a socket, not a file")
        default: return refused("it is not a regular file")
        }
    }

    /// The character devices a report may be written through: /dev/null, /dev/full and
    /// terminals (the virtual consoles, /dev/tty and /dev/console, pseudo-terminals). Opening
    /// any other device can do something (a watchdog starts counting); none is opened.
    private static func writesThrough(device: dev_t) -> Bool {
        switch (major(device), minor(device)) {
        case (1, 3), (1, 7): true
        case (4, _), (5, 0), (5, 1), (136...143, _): true
        default: false
        }
    }

    /// Why a file cannot be made in `path`'s directory, or nil.
    private static func directoryProblem(_ path: String) -> String? {
        let parent = (path as NSString).deletingLastPathComponent
        let directory = parent.isEmpty ? "." : parent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            return "\(directory) does not exist; create it first"
        }
        guard isDirectory.boolValue else { return "\(directory) is not a directory" }
        guard access(directory, W_OK | X_OK) == 0 else { return "podbench may not write in \(directory)" }
        return nil
    }

    /// Opens a FIFO or a device to write through it, waiting up to `readerWait` for a FIFO's
    /// reader; non-blocking, so that a reader that stops cannot hold podbench.
    private static func openThrough(_ path: String) throws -> Int32 {
        let deadline = ContinuousClock.now + readerWait
        while true {
            let fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 { return fd }
            guard errno == ENXIO || errno == EINTR else { throw Failure(path: path, reason: errnoText(errno)) }
            guard ContinuousClock.now < deadline else {
                throw Failure(path: path, reason: "no process opened the FIFO to read it within \(waitText)")
            }
            usleep(20_000)
        }
    }

    /// Writes into an unnamed file in `target`'s directory, which then replaces `target`.
    private static func replace(_ target: String, shownAs path: String, _ body: (_ write: (String) throws -> Void) throws -> Void) throws {
        let directory = (target as NSString).deletingLastPathComponent
        let scratch = try ScratchFile(in: directory.isEmpty ? "." : directory, for: target, shownAs: path)
        defer { scratch.discard() }
        try body { text in
            if let code = StandardStreams.writeAll(scratch.fd, text) { throw Failure(path: path, reason: errnoText(code)) }
        }
        try scratch.replace(target)
    }

    private static func major(_ device: dev_t) -> UInt32 { UInt32((device >> 8) & 0xfff) | UInt32((device >> 32) & ~0xfff) }
    private static func minor(_ device: dev_t) -> UInt32 { UInt32(device & 0xff) | UInt32((device >> 12) & ~0xff) }
}
