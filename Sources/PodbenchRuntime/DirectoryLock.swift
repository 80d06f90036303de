import Foundation
import Synchronization

/// An advisory lock (flock) on `.lock` inside a runtime's temporary directory, held for as long
/// as the run uses the directory: `podbench cleanup` leaves a locked directory alone, and the
/// kernel lets go of the lock when the run's process ends, however it ends.
public final class DirectoryLock: Sendable {
    private let descriptor: Int32
    private let held = Mutex(true)

    /// Takes the lock of `directory`; nil when the lock file cannot be made.
    init?(_ directory: String) {
        let fd = open((directory as NSString).appendingPathComponent(".lock"), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    /// Lets go of the lock; once, however often it is called.
    public func release() {
        guard held.withLock({ held in defer { held = false }; return held }) else { return }
        close(descriptor)
    }

    deinit {
        release()
    }

    /// Makes a new private directory (mode 0700) from a mkdtemp template (`.../name-XXXXXX`)
    /// and takes its lock: the directory of one run's pods.
    public static func makeDirectory(_ template: String) throws -> (path: String, lock: DirectoryLock?) {
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let path = String(cString: made)
        return (path, DirectoryLock(path))
    }

    /// Makes and locks the directory of one run of a scenario on podman or Kubernetes, named
    /// `podbench-ENGINE-LABEL-XXXXXX` after the run's label: while it is held, `podbench cleanup`
    /// leaves the pods and volumes of that label alone.
    static func makeRunDirectory(engine: ManifestOptions.Engine, label: String, base: String) throws -> (path: String, lock: DirectoryLock?) {
        try makeDirectory((base as NSString).appendingPathComponent("podbench-\(engine.rawValue)-\(label)-XXXXXX"))
    }

    /// Whether a run holds `directory`'s lock now.
    static func isHeld(_ directory: String) -> Bool {
        let fd = open((directory as NSString).appendingPathComponent(".lock"), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_SH | LOCK_NB) != 0
    }
}
