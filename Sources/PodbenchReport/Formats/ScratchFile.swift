import CPodbench
import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchSystem

/// The file a report is written into before it replaces its target: unnamed (O_TMPFILE), so
/// that nothing is left behind however podbench ends, and named only for the instant of the
/// rename; where the file system has no unnamed files, a hidden name that the clean-up of a
/// signal (`EmergencyCleanup`) removes.
final class ScratchFile {
    let fd: Int32
    private let shownAs: String
    private let hidden: String
    /// Whether `hidden` names the file now (and must go if podbench stops).
    private var named = false
    private var cleanup: Int?

    /// Makes the file in `directory`, beside `target`; `shownAs` is the path messages name.
    init(in directory: String, for target: String, shownAs: String) throws {
        self.shownAs = shownAs
        hidden = (directory as NSString).appendingPathComponent(".\((target as NSString).lastPathComponent).podbench-\(getpid())-\(UInt32.random(in: .min ... .max))")
        let unnamed = podbench_open_unnamed(directory)
        if unnamed >= 0 {
            fd = unnamed
            return
        }
        let hidden = hidden
        cleanup = EmergencyCleanup.register { unlink(hidden) }
        fd = open(hidden, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            EmergencyCleanup.unregister(cleanup!)
            throw ReportFile.Failure(path: shownAs, reason: errnoText(code))
        }
        named = true
    }

    /// Makes the file `target`, with the mode (and, as root, the owner) of the file it
    /// replaces, else a new file's: on disk first (a full disk may only show at fsync).
    func replace(_ target: String) throws {
        guard fsync(fd) == 0 else { throw failure(errno) }
        var old = stat()
        if stat(target, &old) == 0 {
            fchmod(fd, old.st_mode & 0o7777)
            if geteuid() == 0 { fchown(fd, old.st_uid, old.st_gid) }
        } else {
            fchmod(fd, 0o666 & ~Self.umask)
        }
        if !named {
            let hidden = hidden
            cleanup = EmergencyCleanup.register { unlink(hidden) }
            guard linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, hidden, AT_SYMLINK_FOLLOW) == 0 else { throw failure(errno) }
            named = true
        }
        guard rename(hidden, target) == 0 else { throw failure(errno) }
        named = false
    }

    /// Closes the file, removing it unless it replaced its target; once.
    func discard() {
        if named { unlink(hidden) }
        named = false
        if let cleanup { EmergencyCleanup.unregister(cleanup) }
        cleanup = nil
        close(fd)
    }

    private func failure(_ code: Int32) -> ReportFile.Failure {
        ReportFile.Failure(path: shownAs, reason: errnoText(code))
    }

    /// The process's umask, read without changing it.
    private static var umask: mode_t {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
        return line.flatMap { mode_t($0.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) } ?? 0o022
    }
}
