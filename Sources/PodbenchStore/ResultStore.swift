import Foundation
import GRDB
import PodbenchCore

/// The results database: runs, scenario verdicts, checks and latency metrics.
///
/// Holds `any DatabaseWriter`: a file-backed pool (WAL) in production, anything GRDB offers in
/// tests. Each scenario's result is written in one transaction as it finishes, so an
/// interrupted run keeps what finished.
public final class ResultStore: Sendable {
    public let writer: any DatabaseWriter

    /// Opens (creating it and its directory when missing) the database at `path`, in WAL mode
    /// with a busy timeout so that concurrent runs can share it, and migrates it.
    public convenience init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        try self.init(writer: DatabasePool(path: path, configuration: configuration))
    }

    public init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try StoreMigrations.migrator.migrate(writer)
    }

    /// Records the start of a run; returns its id.
    public func beginRun(runtime: String, host: String, kernel: String, podbenchVersion: String, startedAt: Date = Date()) throws -> Int64 {
        try writer.write { db in
            var run = RunRecord(id: nil, startedAt: startedAt, finishedAt: nil, runtime: runtime, host: host, kernel: kernel, podbenchVersion: podbenchVersion, status: "running")
            try run.insert(db)
            return run.id!
        }
    }

    /// Writes one scenario's result, its checks and its metrics, in one transaction.
    @discardableResult
    public func save(_ result: ScenarioResult, runId: Int64) throws -> Int64 {
        try writer.write { db in
            var row = ScenarioResultRecord(id: nil, runId: runId, scenario: result.scenario, status: result.status.rawValue, startedAt: result.startedAt, duration: result.duration, error: result.error)
            try row.insert(db)
            let id = row.id!
            for check in result.checks {
                var record = CheckRecord(id: nil, scenarioResultId: id, name: check.name, level: check.level.rawValue, outcome: check.outcome.rawValue, message: check.message, source: check.source)
                try record.insert(db)
            }
            for metric in result.metrics {
                var record = MetricRecord(
                    id: nil, scenarioResultId: id, name: metric.name, unit: metric.unit, source: metric.source,
                    count: Int64(metric.count), min: Int64(metric.min), p50: Int64(metric.percentile(50)),
                    p90: Int64(metric.percentile(90)), p99: Int64(metric.percentile(99)), p999: Int64(metric.percentile(99.9)),
                    max: Int64(metric.max), mean: metric.mean, histogram: Data(HistogramEncoding.encode(metric.recordedValues)))
                try record.insert(db)
            }
            return id
        }
    }

    /// Records how a run ended.
    public func finishRun(_ id: Int64, status: String, finishedAt: Date = Date()) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE run SET status = ?, finishedAt = ? WHERE id = ?", arguments: [status, finishedAt, id])
        }
    }

    // MARK: Reading

    public func runs() throws -> [RunRecord] {
        try writer.read { db in try RunRecord.order(Column("id")).fetchAll(db) }
    }

    public func scenarioResults(runId: Int64) throws -> [ScenarioResultRecord] {
        try writer.read { db in
            try ScenarioResultRecord.filter(Column("runId") == runId).order(Column("id")).fetchAll(db)
        }
    }

    public func checks(scenarioResultId: Int64) throws -> [CheckRecord] {
        try writer.read { db in
            try CheckRecord.filter(Column("scenarioResultId") == scenarioResultId).order(Column("id")).fetchAll(db)
        }
    }

    public func metrics(scenarioResultId: Int64) throws -> [MetricRecord] {
        try writer.read { db in
            try MetricRecord.filter(Column("scenarioResultId") == scenarioResultId).order(Column("id")).fetchAll(db)
        }
    }
}
