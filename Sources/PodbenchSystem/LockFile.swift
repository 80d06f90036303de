import CPodbench
import Foundation

/// The flock calls behind `LockedDirectory` and the run's lock beside the database: a lock held
/// through an open descriptor, which the kernel lets go of when the process ends, however it
/// ends, and the test of whether anyone holds one.
public enum LockFile {
    /// Opens `path` and takes its exclusive lock without waiting; the descriptor, or nil. With
    /// `new`, the file must not exist yet, and appears already locked: it is made unnamed
    /// (O_TMPFILE), locked, and only then linked at `path`.
    public static func take(_ path: String, new: Bool = false) -> Int32? {
        if new, let fd = takeUnnamed(path) { return fd }
        let fd = open(path, O_RDWR | O_CREAT | (new ? O_EXCL : 0) | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            if new { unlink(path) }
            return nil
        }
        return fd
    }

    /// `take(path, new: true)` through an unnamed file; nil where the file system has no
    /// O_TMPFILE or `path` exists.
    private static func takeUnnamed(_ path: String) -> Int32? {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = podbench_open_unnamed(directory.isEmpty ? "." : directory)
        guard fd >= 0 else { return nil }
        // Linking by the descriptor's /proc name needs no privilege, unlike AT_EMPTY_PATH.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Whether a process holds the lock on `path` now.
    public static func isHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_SH | LOCK_NB) != 0
    }
}
