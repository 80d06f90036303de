import Foundation
import PodbenchKit
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
        FileManager.default.createFile(atPath: database + ".run-3.lock", contents: nil)
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
