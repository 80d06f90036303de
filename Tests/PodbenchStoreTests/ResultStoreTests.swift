import Foundation
import GRDB
import PodbenchCore
import PodbenchStore
import Synchronization
import Testing

/// A fresh database file in a temporary directory, removed afterwards.
final class TemporaryDatabase {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("podbench-store-\(UUID().uuidString)")
    var path: String { directory.appendingPathComponent("Results/podbench.sqlite").path }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}

private func sampleResult(_ name: String = "ipc-message-queue", passed: Bool = true) -> ScenarioResult {
    ScenarioResult(
        scenario: name, status: passed ? .pass : .fail, startedAt: Date(), duration: 0.5,
        checks: [
            CheckResult(name: "sysv.all-consumed", level: .must, passed: passed, message: passed ? "all 100" : "3 lost", source: "mc2/consumer"),
            CheckResult(name: "pod.completed", level: .must, passed: true, message: "all 2 containers exited 0", source: nil),
        ],
        metrics: [MetricResult(name: "sysv.round-trip", unit: "ns", source: "mc2/producer", values: [[10_000, 90], [20_000, 9], [500_000, 1]])])
}

@Suite struct ResultStoreTests {
    @Test func aRunItsScenarioResultsChecksAndMetricsAreStored() throws {
        let database = TemporaryDatabase()
        let store = try ResultStore(path: database.path)
        let runId = try store.beginRun(runtime: "local", host: "h", fingerprint: .unknown)
        try store.save(sampleResult(), runId: runId)
        try store.finishRun(runId, status: .passed)

        let runs = try store.runs()
        #expect(runs.count == 1)
        #expect(runs[0].status == .passed)
        #expect(runs[0].finishedAt != nil)
        let scenarios = try store.scenarioResults(runId: runId)
        #expect(scenarios.map(\.scenario) == ["ipc-message-queue"])
        #expect(scenarios[0].status == .pass)
        let checks = try store.checks(scenarioResultId: scenarios[0].id!)
        #expect(checks.map(\.outcome) == [.pass, .pass])
        #expect(checks[0].level == .must)
        let metric = try #require(store.metrics(scenarioResultId: scenarios[0].id!).first)
        #expect(metric.count == 100)
        #expect(metric.p50 >= 10_000 && metric.p50 <= 10_010) // HDR: within three significant digits
        #expect(metric.p99 >= 20_000 && metric.p99 <= 20_020)
        #expect(metric.max >= 500_000 && metric.max <= 500_300)
        let pairs = try #require(HistogramEncoding.decode(Array(metric.histogram)))
        #expect(pairs.reduce(0) { $0 + $1[1] } == 100)
    }

    @Test func theDatabaseIsInWALModeAndMigrated() throws {
        let database = TemporaryDatabase()
        let store = try ResultStore(path: database.path)
        let mode = try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let tables = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'grdb%' ORDER BY name") }
        #expect(tables == ["baseline", "checkResult", "metric", "run", "scenarioResult"])
    }

    /// Opening a migrated database runs no migration step again: no statement that changes the
    /// schema or records a migration, the schema and the data as they were.
    @Test func openingADatabaseAgainDoesNotMigrateItTwice() throws {
        let database = TemporaryDatabase()
        let statements = Mutex<[String]>([])
        /// The store on a pool that records every statement it runs.
        func traced() throws -> ResultStore {
            try FileManager.default.createDirectory(atPath: (database.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.prepareDatabase { db in
                db.trace { event in statements.withLock { $0.append("\(event)") } }
            }
            let pool = try DatabasePool(path: database.path, configuration: configuration)
            statements.withLock { $0 = [] }
            return try ResultStore(writer: pool)
        }
        let schemaChange = try Regex("(?i)^\\s*(CREATE|ALTER|DROP)\\s+(TABLE|INDEX)\\s+(?!IF NOT EXISTS \"?grdb_migrations)|INSERT INTO \"?grdb_migrations")
        func schema(_ store: ResultStore) throws -> [String] {
            try store.writer.read { db in try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name") }
        }

        let runId: Int64
        let before: [String]
        do {
            let store = try traced()
            let migrated = statements.withLock { $0 }.filter { $0.contains(schemaChange) }
            #expect(migrated.count >= 10, "the first open migrates, and the trace sees it: \(migrated)")
            runId = try store.beginRun(runtime: "local", host: "h", fingerprint: .unknown)
            try store.save(sampleResult(), runId: runId)
            try store.finishRun(runId, status: .passed)
            before = try schema(store)
        }
        for _ in 0..<2 {
            let reopened = try traced()
            #expect(statements.withLock { $0 }.filter { $0.contains(schemaChange) } == [])
            #expect(try schema(reopened) == before)
            #expect(try reopened.writer.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") } == ["v1", "v2", "v3", "v4", "v5", "v6", "v7"])
            #expect(try reopened.runs().map(\.id) == [runId])
            #expect(try reopened.scenarioResults(runId: runId).count == 1)
        }
    }

    @Test func unmetSaysWhyAFilterLeavesARunOut() throws {
        let database = TemporaryDatabase()
        let store = try ResultStore(path: database.path)
        let runId = try store.beginRun(runtime: "local", host: "h", fingerprint: .unknown, startedAt: Date(timeIntervalSince1970: 1_790_000_000))
        try store.save(sampleResult(), runId: runId)
        #expect(try store.unmet(RunFilter(ids: [runId], scenarios: ["ipc-message-queue"]), by: runId).isEmpty)
        #expect(try store.unmet(RunFilter(scenarios: ["nope"]), by: runId) == ["has no scenario nope"])
        #expect(try store.unmet(RunFilter(scenarios: ["a", "b"], runtime: "podman", host: "h"), by: runId) == ["ran on runtime local, not podman", "has none of the scenarios a, b"])
        #expect(try store.unmet(RunFilter(since: Date(timeIntervalSince1970: 1_800_000_000), finishedOnly: true), by: runId) == ["started at 2026-09-21T14:13:20Z, before --since", "is still running"])
        #expect(throws: StoreError.self) { try store.unmet(RunFilter(), by: 99) }
        #expect(StoreError.noSuchRun(99, database: database.path).description == "there is no run 99 in \(database.path); 'podbench history' lists the runs")
        #expect(throws: StoreError.self) { try store.setBaseline(runId: 99) }
    }

    @Test func anInterruptedRunKeepsTheScenariosThatFinished() throws {
        let database = TemporaryDatabase()
        do {
            let store = try ResultStore(path: database.path)
            let runId = try store.beginRun(runtime: "local", host: "h", fingerprint: .unknown)
            try store.save(sampleResult(), runId: runId)
            // No finishRun: the process died here.
        }
        let reopened = try ResultStore(path: database.path)
        let run = try #require(reopened.runs().first)
        #expect(run.status == .running)
        #expect(try reopened.scenarioResults(runId: run.id!).count == 1)
    }

    @Test func deletingARunDeletesItsResults() throws {
        let database = TemporaryDatabase()
        let store = try ResultStore(path: database.path)
        let runId = try store.beginRun(runtime: "local", host: "h", fingerprint: .unknown)
        try store.save(sampleResult(passed: false), runId: runId)
        try store.writer.write { db in try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [runId]) }
        let left = try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM scenarioResult) + (SELECT COUNT(*) FROM checkResult) + (SELECT COUNT(*) FROM metric)") }
        #expect(left == 0)
    }

    /// Two runs starting at once on a new file race to switch it to WAL and to migrate it: both
    /// must open it, every time.
    @Test func twoStoresOpeningOneNewFileAtOnceBothMigrateIt() async throws {
        for _ in 0..<20 {
            let database = TemporaryDatabase()
            let path = database.path
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask { _ = try ResultStore(path: path) }
                }
                try await group.waitForAll()
            }
            let store = try ResultStore(path: path)
            let migrations = try await store.writer.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
            #expect(migrations == ["v1", "v2", "v3", "v4", "v5", "v6", "v7"])
        }
    }

    @Test func twoStoresWritingOneFileAtOnceBothSucceed() async throws {
        let database = TemporaryDatabase()
        let path = database.path
        _ = try ResultStore(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    let store = try ResultStore(path: path)
                    let runId = try store.beginRun(runtime: "local", host: "writer-\(writer)", fingerprint: .unknown)
                    for index in 0..<25 { try store.save(sampleResult("s\(index)"), runId: runId) }
                    try store.finishRun(runId, status: .passed)
                }
            }
            try await group.waitForAll()
        }
        let store = try ResultStore(path: database.path)
        #expect(try store.runs().count == 2)
        for run in try store.runs() {
            #expect(try store.scenarioResults(runId: run.id!).count == 25)
        }
    }
}
