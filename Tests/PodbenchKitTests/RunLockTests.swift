import Foundation
import PodbenchKit
import PodbenchRuntime
import Synchronization
import Testing

/// The lock a run holds beside the database, by which `podbench cleanup` tells a run that is
/// going from one whose podbench was killed.
@Suite struct RunLockTests {
    let directory: String
    var database: String { directory + "/r.sqlite" }

    init() throws {
        directory = NSTemporaryDirectory() + "podbench-runlock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func locks() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".lock") }.sorted()
    }

    @Test func aRunThatHoldsItsLockIsNotAbandonedAndOneThatLetGoIs() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let live = try #require(RunLock(database: database))
        live.claim(runId: 1, database: database)
        #expect(try locks() == ["r.sqlite.run-1.lock"])
        // Run 2 has no lock at all: its podbench is gone (killed, or another machine's).
        #expect(RunLock.abandoned([1, 2], database: database) == [2])
        live.release()
        #expect(try locks().isEmpty, "a run that ends removes its lock")
        #expect(RunLock.abandoned([1], database: database) == [1])
    }

    /// A lock left by a process that died is there but held by no one.
    @Test func aLockFileNoOneHoldsIsAbandonedAndRemoved() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = FileManager.default.createFile(atPath: database + ".run-3.lock", contents: nil)
        #expect(RunLock.abandoned([3], database: database) == [3])
        #expect(try locks().isEmpty)
    }

    /// While a run is starting it holds a lock not yet named after it: runs without a lock of
    /// their own cannot be judged then.
    @Test func whileARunIsStartingRunsWithoutALockAreLeftAlone() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let starting = try #require(RunLock(database: database))
        #expect(RunLock.abandoned([4], database: database).isEmpty)
        starting.release()
        #expect(RunLock.abandoned([4], database: database) == [4])
    }
}

extension RunLockTests {
    /// A podbench stopped at once (a second Ctrl-C, SIGKILL) after its run was recorded leaves
    /// a lock file whose run is not `running`: cleanup removes it all the same, and keeps the
    /// lock files that are held.
    @Test func cleanupRemovesEveryLockFileNoOneHolds() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["r.sqlite.run-5.lock", "r.sqlite.starting-1f.lock", "other.sqlite.run-5.lock"] {
            _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: nil)
        }
        let live = try #require(RunLock(database: database))
        live.claim(runId: 6, database: database)
        #expect(RunLock.abandoned([], database: database).isEmpty)
        #expect(try locks() == ["other.sqlite.run-5.lock", "r.sqlite.run-6.lock"])
        live.release()
    }

    /// A new lock file never exists unlocked, not even for a moment: another process that
    /// finds it finds it held.
    @Test func aNewLockAppearsAlreadyHeld() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        final class Watch: Sendable {
            let stop = Atomic(false)
            let unheld = Atomic(0)
        }
        let watch = Watch()
        let directory = directory
        let watcher = Thread {
            while !watch.stop.load(ordering: .relaxed) {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".lock") {
                    let path = directory + "/" + name
                    if FileManager.default.fileExists(atPath: path), !LockFile.isHeld(path), FileManager.default.fileExists(atPath: path) {
                        watch.unheld.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        watcher.start()
        for _ in 0..<1000 { RunLock(database: database)?.release() }
        watch.stop.store(true, ordering: .relaxed)
        #expect(watch.unheld.load(ordering: .relaxed) == 0)
    }
}
