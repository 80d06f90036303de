import Foundation
import PodbenchKit
import PodbenchRuntime
import PodbenchSystem
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
        #expect(try locks().count == 1)
        #expect(live.path.hasPrefix(directory + "/r.sqlite.run-") && live.path.hasSuffix(".lock"))
        // Run 2 has no lock at all: its podbench is gone (killed, or another machine's).
        #expect(RunLock.abandoned([(1, live.path), (2, directory + "/r.sqlite.run-ffff.lock")], database: database) == [2])
        live.release()
        #expect(try locks().isEmpty, "a run that ends removes its lock")
        #expect(RunLock.abandoned([(1, live.path)], database: database) == [1])
    }

    /// Finding 6 of the second reliability round: through a symbolic link to the database, a
    /// live run is still live (its lock is the one it recorded), and its lock file stays.
    @Test func aLiveRunIsLiveWhicheverPathReachesTheDatabase() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = FileManager.default.createFile(atPath: database, contents: nil)
        let other = directory + "/elsewhere"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: other + "/link.sqlite", withDestinationPath: database)
        let live = try #require(RunLock(database: other + "/link.sqlite"))
        #expect(live.path.hasPrefix(directory + "/r.sqlite.run-"), "beside the file, not the link")
        #expect(RunLock.abandoned([(7, live.path)], database: database).isEmpty)
        #expect(RunLock.abandoned([(7, live.path)], database: other + "/link.sqlite").isEmpty)
        #expect(try locks().count == 1)
        live.release()
    }

    /// A lock left by a process that died is there but held by no one; a run an older podbench
    /// recorded without a lock is judged by the name it gave its lock.
    @Test func aLockFileNoOneHoldsIsAbandonedAndRemoved() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let left = database + ".run-9e.lock"
        _ = FileManager.default.createFile(atPath: left, contents: Data("podbench run lock\n".utf8))
        _ = FileManager.default.createFile(atPath: database + ".run-3.lock", contents: Data("podbench run lock\n".utf8))
        #expect(RunLock.abandoned([(8, left), (3, nil)], database: database) == [8, 3])
        #expect(try locks().isEmpty)
    }
}

extension RunLockTests {
    /// A podbench stopped at once (a second Ctrl-C, SIGKILL) after its run was recorded leaves
    /// a lock file whose run is not `running`: cleanup removes it all the same, and keeps the
    /// lock files that are held, those of other databases and files podbench did not mark.
    @Test func cleanupRemovesEveryLockFileOfItsOwnNoOneHolds() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["r.sqlite.run-5.lock", "r.sqlite.run-1f.lock", "other.sqlite.run-5.lock"] {
            _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data("podbench run lock\n".utf8))
        }
        _ = FileManager.default.createFile(atPath: directory + "/r.sqlite.notes.lock", contents: Data("mine\n".utf8))
        let live = try #require(RunLock(database: database))
        #expect(RunLock.abandoned([], database: database).isEmpty)
        #expect(try locks() == ["other.sqlite.run-5.lock", (live.path as NSString).lastPathComponent, "r.sqlite.notes.lock"].sorted())
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
