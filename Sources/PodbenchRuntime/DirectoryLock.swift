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
        guard let fd = LockFile.take(Self.lockFile(directory)) else { return nil }
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
    /// and takes its lock: the directory of one run's pods. It is made under a hidden name
    /// (`.name-XXXXXX`), which `podbench cleanup` never looks at, locked there, and only then
    /// renamed to its name: it is never visible unlocked.
    public static func makeDirectory(_ template: String) throws -> (path: String, lock: DirectoryLock?) {
        let parent = (template as NSString).deletingLastPathComponent
        let hidden = (parent as NSString).appendingPathComponent("." + (template as NSString).lastPathComponent)
        var bytes = Array(hidden.utf8CString)
        guard let made = mkdtemp(&bytes) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let madePath = String(cString: made)
        let lock = DirectoryLock(madePath)
        let path = (parent as NSString).appendingPathComponent(String((madePath as NSString).lastPathComponent.dropFirst()))
        guard rename(madePath, path) == 0 else {
            let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            lock?.release()
            try? FileManager.default.removeItem(atPath: madePath)
            throw error
        }
        return (path, lock)
    }

    /// Makes and locks the directory of one run of a scenario on podman or Kubernetes, named
    /// `podbench-ENGINE-LABEL-XXXXXX` after the run's label: while it is held, `podbench cleanup`
    /// leaves the pods and volumes of that label alone.
    static func makeRunDirectory(engine: ManifestOptions.Engine, label: String, base: String) throws -> (path: String, lock: DirectoryLock?) {
        try makeDirectory((base as NSString).appendingPathComponent(runDirectoryPrefix(engine) + label + "-XXXXXX"))
    }

    /// How the names of an engine's run directories begin: `podbench-ENGINE-`.
    static func runDirectoryPrefix(_ engine: ManifestOptions.Engine) -> String {
        "podbench-\(engine.rawValue)-"
    }

    /// The run label in a run directory's name (`podbench-ENGINE-LABEL-XXXXXX`), or nil when the
    /// name is not one of `engine`'s.
    static func runLabel(ofDirectory name: String, engine: ManifestOptions.Engine) -> String? {
        let prefix = runDirectoryPrefix(engine)
        // mkdtemp puts six characters for the XXXXXX.
        guard name.hasPrefix(prefix), name.count > prefix.count + 7 else { return nil }
        return String(name.dropFirst(prefix.count).dropLast(7))
    }

    /// Whether a run holds `directory`'s lock now.
    static func isHeld(_ directory: String) -> Bool {
        LockFile.isHeld(lockFile(directory))
    }

    private static func lockFile(_ directory: String) -> String {
        (directory as NSString).appendingPathComponent(".lock")
    }
}
