import Foundation

/// The flock calls behind `DirectoryLock` and the run's lock beside the database: a lock held
/// through an open descriptor, which the kernel lets go of when the process ends, however it
/// ends, and the test of whether anyone holds one.
public enum LockFile {
    /// Opens `path` and takes its exclusive lock without waiting; the descriptor, or nil. With
    /// `new`, the file must not exist yet, and is removed again when it cannot be locked.
    public static func take(_ path: String, new: Bool = false) -> Int32? {
        let fd = open(path, O_RDWR | O_CREAT | (new ? O_EXCL : 0) | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            if new { unlink(path) }
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
