import Foundation

/// Writes report files whole or not at all: into a temporary file beside the target, then
/// renamed over it, so a reader or an interruption never sees half a report. Only the file is
/// made: its directory must exist (`problem(writing:)` says so before any work is done).
public enum ReportFile {
    /// A report file that could not be written, said plainly (the system's reason, not a
    /// Foundation error's dump).
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Why `path` cannot take a report, or nil: it is a directory, or its directory does not
    /// exist, is not a directory, or may not be written in.
    public static func problem(writing path: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "it is a directory"
        }
        let parent = (path as NSString).deletingLastPathComponent
        let directory = parent.isEmpty ? "." : parent
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            return "\(directory) does not exist; create it first"
        }
        guard isDirectory.boolValue else { return "\(directory) is not a directory" }
        guard access(directory, W_OK | X_OK) == 0 else { return "podbench may not write in \(directory)" }
        return nil
    }

    /// Writes `text` to `path`; a `Failure` when it cannot.
    public static func write(_ text: String, to path: String) throws {
        try stream(to: path) { write in try write(text) }
    }

    /// Writes what `body` hands to its writer as it comes, so that a big file never has to be
    /// held in memory, into a temporary file beside the target that replaces it when `body`
    /// returns; when `body` throws, the target is left as it was and the temporary file removed.
    /// The error `body` throws is rethrown; one of writing is a `Failure`.
    public static func stream(to path: String, _ body: (_ write: (String) throws -> Void) throws -> Void) throws {
        let parent = (path as NSString).deletingLastPathComponent
        let temporary = (parent as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).\(getpid()).partial")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        var closed = false
        defer { if !closed { close(fd) } }
        do {
            try body { text in
                var text = text
                try text.withUTF8 { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                        if n < 0 && errno == EINTR { continue }
                        guard n > 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
                        offset += n
                    }
                }
            }
            // A full disk may only show here.
            let synced = fsync(fd) == 0 ? 0 : errno
            closed = true
            let flushed = close(fd) == 0 ? synced : errno
            guard flushed == 0 else { throw Failure(path: path, reason: String(cString: strerror(flushed))) }
            guard rename(temporary, path) == 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}
