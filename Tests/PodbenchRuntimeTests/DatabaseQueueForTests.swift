import GRDB

/// An in-memory database for tests that look at verdicts, not at the file.
enum DatabaseQueueForTests {
    static func make() -> DatabaseQueue {
        try! DatabaseQueue()
    }
}
