import Foundation
import PodbenchRuntime
import Synchronization

/// A lock file beside the results database that a run holds for as long as it goes (flock: the
/// kernel lets go when the process ends, however it ends). A run that the database still says
/// is `running` while nobody holds its lock was killed (SIGKILL, a second Ctrl-C, a machine that
/// went away): `podbench cleanup` records it as interrupted.
///
/// The lock is taken before the run exists in the database, under a name of its own
/// (`DB.starting-RANDOM.lock`), and renamed to `DB.run-ID.lock` once the run has its id, so that
/// no moment exists when a live run holds no lock.
public final class RunLock: Sendable {
    private let descriptor: Int32
    private let path: Mutex<String?>

    /// Takes a new lock beside `database`; nil when its directory cannot hold one.
    public init?(database: String) {
        let path = "\(database).starting-\(String(UInt64.random(in: .min ... .max), radix: 16)).lock"
        guard let fd = LockFile.take(path, new: true) else { return nil }
        descriptor = fd
        self.path = Mutex(path)
    }

    /// Names the lock after the run it holds.
    public func claim(runId: Int64, database: String) {
        path.withLock { path in
            guard let old = path else { return }
            let new = Self.path(database: database, runId: runId)
            if rename(old, new) == 0 { path = new }
        }
    }

    /// Removes the lock file and lets go; once, however often it is called.
    public func release() {
        guard let old = path.withLock({ path in defer { path = nil }; return path }) else { return }
        unlink(old)
        close(descriptor)
    }

    deinit {
        release()
    }

    static func path(database: String, runId: Int64) -> String {
        "\(database).run-\(runId).lock"
    }

    /// Of the runs `running` says are going, those whose podbench is gone: no one holds their
    /// lock. While a run is starting (it holds a lock not yet named after it) only runs with a
    /// lock file of their own can be judged. Every lock file beside the database that no one
    /// holds is removed, whatever its run's status.
    public static func abandoned(_ running: [Int64], database: String) -> [Int64] {
        let directory = (database as NSString).deletingLastPathComponent
        let base = (database as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        let locks = names.filter { ($0.hasPrefix(base + ".starting-") || $0.hasPrefix(base + ".run-")) && $0.hasSuffix(".lock") }
        let held = Set(locks.filter { LockFile.isHeld((directory as NSString).appendingPathComponent($0)) })
        let starting = held.contains { $0.hasPrefix(base + ".starting-") }
        let gone = running.filter { id in
            let lock = "\(base).run-\(id).lock"
            return locks.contains(lock) ? !held.contains(lock) : !starting
        }
        for lock in locks where !held.contains(lock) { unlink((directory as NSString).appendingPathComponent(lock)) }
        return gone
    }
}
