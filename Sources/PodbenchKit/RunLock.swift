import Foundation
import PodbenchStore
import PodbenchSystem
import Synchronization

/// A lock file a run holds for as long as it goes (flock: the kernel lets go when the process
/// ends, however it ends), recorded with the run in the database. A run that the database
/// still says is `running` while nobody holds its lock was killed (SIGKILL, a second Ctrl-C, a
/// machine that went away): `podbench cleanup` records it as interrupted.
///
/// The lock is made beside the database's file (its symbolic links followed), under a name of
/// its own, locked before it is visible, and holds a marker (`marker`); the run stores its
/// absolute path. So whichever path reaches the database (a symbolic link, another mount),
/// the run's lock is the one the database names, and only a file podbench marked as a lock is
/// ever removed.
public final class RunLock: Sendable {
    /// The lock file, absolute.
    public let path: String
    private let descriptor: Mutex<Int32?>

    /// What a lock file holds first: a file without it is not podbench's, and stays.
    static let marker = "podbench run lock\n"

    /// Takes a new lock beside the database at `database`; nil when its directory cannot hold
    /// one.
    public init?(database: String) {
        let file = DatabaseFile.resolved(database)
        let path = "\(file).run-\(String(UInt64.random(in: .min ... .max), radix: 16)).lock"
        guard let fd = LockFile.take(path, new: true) else { return nil }
        _ = Self.marker.withCString { Foundation.write(fd, $0, strlen($0)) }
        self.path = path
        descriptor = Mutex(fd)
    }

    /// Removes the lock file and lets go; once, however often it is called.
    public func release() {
        descriptor.withLock { descriptor in
            guard let fd = descriptor else { return }
            unlink(path)
            close(fd)
            descriptor = nil
        }
    }

    deinit {
        release()
    }

    /// Of the runs `running` says are going, each with the lock it recorded, those whose
    /// podbench is gone: no one holds their lock, or it is not there. A run recorded without a
    /// lock (by an older podbench) is judged by the lock file that podbench named after it
    /// beside the database. The lock files of the runs found gone are removed, and so is every
    /// other lock file beside the database that no one holds.
    public static func abandoned(_ running: [(id: Int64, lock: String?)], database: String) -> [Int64] {
        let file = DatabaseFile.resolved(database)
        let gone = running.filter { run in !isHeld(run.lock ?? "\(file).run-\(run.id).lock") }
        for run in running where gone.contains(where: { $0.id == run.id }) {
            if let lock = run.lock { removeIfUnheld(lock) }
        }
        let directory = (file as NSString).deletingLastPathComponent
        let base = (file as NSString).lastPathComponent
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(base + ".") && name.hasSuffix(".lock") {
            removeIfUnheld((directory as NSString).appendingPathComponent(name))
        }
        return gone.map(\.id)
    }

    /// Whether `path` is a lock file of podbench's that a process holds now.
    private static func isHeld(_ path: String) -> Bool {
        isMarked(path) && LockFile.isHeld(path)
    }

    /// Removes `path` when it is a lock file of podbench's that no one holds: taking its lock
    /// first, so that a run cannot take it meanwhile.
    private static func removeIfUnheld(_ path: String) {
        guard isMarked(path), let fd = LockFile.take(path) else { return }
        unlink(path)
        close(fd)
    }

    /// Whether `path` is a regular file (not a symbolic link) that begins with `marker`.
    private static func isMarked(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        var bytes = [UInt8](repeating: 0, count: marker.utf8.count)
        return read(fd, &bytes, bytes.count) == bytes.count && bytes.elementsEqual(marker.utf8)
    }
}
