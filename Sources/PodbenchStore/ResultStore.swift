import Foundation
import GRDB
import GRDBSQLite
import PodbenchCore
import PodbenchProbeInterface
import PodbenchSystem

/// The results database: runs, scenario verdicts, checks and latency metrics.
///
/// Holds `any DatabaseWriter`: a file-backed pool (WAL) in production, anything GRDB offers in
/// tests. Each scenario's result is written in one transaction as it finishes, so an
/// interrupted run keeps what finished.
public final class ResultStore: Sendable {
    public let writer: any DatabaseWriter
    /// The private copy a reader reads from, where it needed one (`DatabaseFile.Reading.copy`).
    private let copy: (directory: String, cleanup: Int)?

    /// Opens an existing database to read it, without writing to it or beside it: no
    /// migration, no switch to WAL, no `-wal` or `-shm` file made (`DatabaseFile.reading`), so
    /// that a user who may read the file but not write it or its directory reads it too. A
    /// file that is not podbench's database, or is of a newer podbench, or of an older one that
    /// would need migrating, is refused with what it is and what to do.
    public convenience init(readingAt path: String) throws {
        try DatabaseFile.check(path)
        let (queue, copy) = try Self.openForReading(path)
        self.init(reader: queue, copy: copy.map { directory in
            (directory, EmergencyCleanup.register { try? FileManager.default.removeItem(atPath: directory) })
        })
    }

    /// Opens (creating it and its directory when missing) the database at `path`, in WAL mode
    /// with a busy timeout so that concurrent runs can share it, and migrates it. A file that
    /// is another application's, or a newer podbench's, is refused before anything is written;
    /// so is a path that is not a regular file. Its `-wal` and `-shm` files stay when the last
    /// writer is done, so that readers need not make them (`DatabaseFile`).
    public convenience init(path: String) throws {
        try DatabaseFile.check(path)
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(30)  // another podbench may be creating it
            do {
                try DatabaseQueue(path: path, configuration: configuration).read { db in try Self.checkSchema(db, path: path, pendingAllowed: true) }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
                throw Self.notADatabase(path)
            }
        }
        try self.init(opening: path)
    }

    /// Opens `path` read-only, making nothing beside it, and checks that it is podbench's
    /// database; the private copy it was opened from, where it needed one.
    private static func openForReading(_ path: String) throws -> (DatabaseQueue, copy: String?) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        var copy: String?
        do {
            let opened: String
            switch try DatabaseFile.reading(path) {
            case .shared(let file), .immutable(let file): opened = file
            case .copy(let file, let directory): (opened, copy) = (file, directory)
            }
            let queue = try DatabaseQueue(path: opened, configuration: configuration)
            try queue.read { db in try Self.checkSchema(db, path: path, pendingAllowed: false) }
            return (queue, copy)
        } catch {
            if let copy { try? FileManager.default.removeItem(atPath: copy) }
            guard let error = error as? DatabaseError else { throw error }
            switch error.resultCode {
            case .SQLITE_NOTADB:
                throw notADatabase(path)
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
                throw PodbenchError(.badInput, "cannot read \(path): \(error.message ?? "permission denied"); podbench must be able to read it and its -wal and -shm files")
            default:
                throw error
            }
        }
    }

    private static func notADatabase(_ path: String) -> PodbenchError {
        PodbenchError(.badInput, "\(path) is not an SQLite database; --db names podbench's results database")
    }

    /// Opens the database at `path` to write it; see `init(path:)`.
    private convenience init(opening path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            var persist: Int32 = 1
            _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
            // The -wal stays, emptied: it holds nothing once the last writer is done.
            try db.execute(sql: "PRAGMA journal_size_limit = 0")
        }
        // Two processes opening a new file at once race to switch it to WAL (which takes no
        // busy timeout) and to migrate it; the loser tries again and finds the work done.
        var attempt = 0
        while true {
            do {
                try self.init(writer: DatabasePool(path: path, configuration: configuration))
                return
            } catch let error as DatabaseError where attempt < 100 && Self.lostOpeningRace(error) {
                attempt += 1
                usleep(50_000)
            }
        }
    }

    /// Busy or locked while the other switches to WAL; or a migration step the other process
    /// applied first (its transaction rolled back here, so nothing is half-done).
    private static func lostOpeningRace(_ error: DatabaseError) -> Bool {
        let message = error.message ?? ""
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
            || message.contains("already exists") || message.contains("duplicate column name")
    }

    public init(writer: any DatabaseWriter) throws {
        self.writer = writer
        copy = nil
        try StoreMigrations.migrator.migrate(writer)
    }

    /// A store that only reads (see `init(readingAt:)`); writing through it fails.
    init(reader: DatabaseQueue, copy: (directory: String, cleanup: Int)?) {
        self.writer = reader
        self.copy = copy
    }

    deinit {
        if let copy {
            try? FileManager.default.removeItem(atPath: copy.directory)
            EmergencyCleanup.unregister(copy.cleanup)
        }
    }

    /// Refuses a database that is not podbench's (tables, but no migrations of podbench's), one
    /// a newer podbench wrote (migrations this one does not know), and, to a reader, one an
    /// older podbench wrote (which only a command that writes may migrate).
    static func checkSchema(_ db: Database, path: String, pendingAllowed: Bool) throws {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        guard tables.contains("grdb_migrations") else {
            if tables.isEmpty && pendingAllowed { return }
            throw PodbenchError(.badInput, tables.isEmpty
                ? "\(path) is an empty database, not podbench's results; 'podbench run' makes one"
                : "\(path) is not podbench's results database (its tables: \(tables.prefix(8).joined(separator: ", "))); --db names podbench's database, and podbench leaves this one alone")
        }
        let migrator = StoreMigrations.migrator
        let applied = try migrator.appliedIdentifiers(db)
        let known = Set(migrator.migrations)
        let unknown = applied.subtracting(known)
        if !unknown.isEmpty {
            throw PodbenchError(.badInput, "\(path) was written by a newer podbench (schema \(unknown.sorted().joined(separator: ", ")), this podbench knows up to \(migrator.migrations.last ?? "")); use that podbench to read it")
        }
        if !pendingAllowed, !known.subtracting(applied).isEmpty {
            throw PodbenchError(.badInput, "\(path) was written by an older podbench (schema \(migrator.migrations.filter(applied.contains).last ?? "none")); a command that writes to it ('podbench run', 'podbench db prune') upgrades it")
        }
        // A file another podbench is creating has its migrations table a moment before v1's
        // tables: only a database that says it has v1 must have them.
        if applied.contains("v1") && !tables.contains("run") {
            throw PodbenchError(.badInput, "\(path) is not podbench's results database (it has no run table)")
        }
    }

    /// Records the start of a run, and the lock file it holds while it goes; returns its id.
    public func beginRun(runtime: String, host: String, fingerprint: Fingerprint, repetitions: Int = 1, startedAt: Date = Date(), lock: String? = nil) throws -> Int64 {
        let json = String(decoding: try JSONEncoder().encode(fingerprint), as: UTF8.self)
        return try writer.write { db in
            var run = RunRecord(
                id: nil, startedAt: startedAt, finishedAt: nil, runtime: runtime, host: host, kernel: fingerprint.kernel,
                podbenchVersion: fingerprint.podbenchVersion, status: .running, fingerprint: json, repetitions: repetitions,
                lock: lock, lastSeenAt: startedAt)
            try run.insert(db)
            return run.id!
        }
    }

    /// Writes one scenario's result, its checks and its metrics, in one transaction.
    @discardableResult
    public func save(_ result: ScenarioResult, runId: Int64) throws -> Int64 {
        try writer.write { db in
            var row = ScenarioResultRecord(
                id: nil, runId: runId, scenario: result.scenario, status: result.status, startedAt: result.startedAt,
                duration: result.duration, error: result.error, repetition: result.repetition, tolerance: result.regressionTolerance, tags: result.tags)
            try row.insert(db)
            let id = row.id!
            try db.execute(sql: "UPDATE run SET lastSeenAt = ? WHERE id = ?", arguments: [Date(), runId])
            for check in result.checks {
                var record = CheckRecord(id: nil, scenarioResultId: id, name: check.name, level: check.level, outcome: check.outcome, message: check.message, source: check.source, duration: check.duration)
                try record.insert(db)
            }
            for metric in result.metrics {
                var record = MetricRecord(
                    id: nil, scenarioResultId: id, name: metric.name, unit: metric.unit, source: metric.source,
                    count: Int64(metric.count), min: Int64(metric.min), p50: Int64(metric.percentile(50)),
                    p90: Int64(metric.percentile(90)), p99: Int64(metric.percentile(99)), p999: Int64(metric.percentile(99.9)),
                    max: Int64(metric.max), mean: metric.mean, histogram: Data(HistogramEncoding.encode(metric.recordedValues)), invalid: metric.invalid,
                    placement: metric.placement?.placement.rawValue, cpus: try metric.placement.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) })
                if let floor = metric.floor {
                    let merged = floor.merged
                    record.floorBefore = Data(HistogramEncoding.encode(floor.before.recordedPairs))
                    record.floorAfter = floor.after.map { Data(HistogramEncoding.encode($0.recordedPairs)) }
                    record.floorP50 = Int64(merged.valueAtPercentile(50))
                    record.floorP99 = Int64(merged.valueAtPercentile(99))
                }
                try record.insert(db)
            }
            return id
        }
    }

    /// Records how a run ended, and the status podbench exits with for it.
    public func finishRun(_ id: Int64, status: RunStatus, exitStatus: Int32? = nil, finishedAt: Date = Date()) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE run SET status = ?, exitStatus = ?, finishedAt = ? WHERE id = ?", arguments: [status.rawValue, exitStatus, finishedAt, id])
        }
    }

    /// Records that the regression gate failed a run that had passed: its metrics regressed.
    public func markRegressed(_ id: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE run SET status = ?, exitStatus = 1 WHERE id = ? AND status = ?",
                           arguments: [RunStatus.regressed.rawValue, id, RunStatus.passed.rawValue])
        }
    }

    /// Records as interrupted a run whose podbench is gone, ended when it was last seen alive
    /// (its duration is not stretched to now); whether it was still `running`.
    @discardableResult
    public func abandon(_ id: Int64) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "UPDATE run SET status = ?, finishedAt = COALESCE(lastSeenAt, startedAt) WHERE id = ? AND status = ?",
                           arguments: [RunStatus.interrupted.rawValue, id, RunStatus.running.rawValue])
            return db.changesCount == 1
        }
    }

    /// Writes a copy of the whole database to `path` (a new file: whole, or nothing there).
    public func copy(to path: String) throws {
        let partial = path + ".\(getpid()).partial"
        try writer.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [partial]) }
        guard rename(partial, path) == 0 else {
            let code = errno
            unlink(partial)
            throw PodbenchError(.runtime, "cannot copy the results database to \(path)", cause: String(cString: strerror(code)))
        }
    }

    // MARK: Reading

    /// The runs `filter` selects, oldest first.
    public func runs(_ filter: RunFilter = RunFilter()) throws -> [RunRecord] {
        try writer.read { db in
            var request = RunRecord.all()
            if let ids = filter.ids { request = request.filter(ids.contains(Column("id"))) }
            if let runtime = filter.runtime { request = request.filter(Column("runtime") == runtime) }
            if let host = filter.host { request = request.filter(Column("host") == host) }
            if let since = filter.since { request = request.filter(Column("startedAt") >= since) }
            if let before = filter.before { request = request.filter(Column("id") < before) }
            if filter.finishedOnly { request = request.filter(Column("status") != RunStatus.running.rawValue) }
            if !filter.scenarios.isEmpty {
                let names = filter.scenarios
                request = request.filter(sql: "EXISTS (SELECT 1 FROM scenarioResult WHERE runId = run.id AND scenario IN (\(names.map { _ in "?" }.joined(separator: ", "))))", arguments: StatementArguments(names))
            }
            request = request.order(Column("id").desc)
            if let last = filter.last { request = request.limit(last) }
            return try request.fetchAll(db).reversed()
        }
    }

    public func run(_ id: Int64) throws -> RunRecord? {
        try writer.read { db in try RunRecord.fetchOne(db, key: id) }
    }

    /// Why `filter` leaves out run `id`: one clause per condition it fails ("has no scenario
    /// x"), empty when it selects the run (`last` aside). Throws `StoreError.noSuchRun` when
    /// there is no such run.
    public func unmet(_ filter: RunFilter, by id: Int64) throws -> [String] {
        guard let run = try run(id) else { throw StoreError.noSuchRun(id, database: writer.path) }
        var unmet: [String] = []
        if let ids = filter.ids, !ids.contains(id) { unmet.append("is not among the runs asked for") }
        if let runtime = filter.runtime, run.runtime != runtime { unmet.append("ran on runtime \(run.runtime), not \(runtime)") }
        if let host = filter.host, run.host != host { unmet.append("ran on host \(run.host), not \(host)") }
        if let since = filter.since, run.startedAt < since { unmet.append("started at \(run.startedAt.formatted(.iso8601)), before --since") }
        if let before = filter.before, id >= before { unmet.append("is not older than run \(before)") }
        if filter.finishedOnly, run.status == .running { unmet.append("is still running") }
        if !filter.scenarios.isEmpty {
            let names = Set(try scenarioResults(runId: id).map(\.scenario))
            if names.isDisjoint(with: filter.scenarios) {
                let asked = filter.scenarios.joined(separator: ", ")
                unmet.append(filter.scenarios.count == 1 ? "has no scenario \(asked)" : "has none of the scenarios \(asked)")
            }
        }
        return unmet
    }

    /// Every scenario result of the runs, in run and then insertion order.
    public func scenarioResults(runIds: [Int64]) throws -> [ScenarioResultRecord] {
        try writer.read { db in
            try ScenarioResultRecord.filter(runIds.contains(Column("runId"))).order(Column("runId"), Column("id")).fetchAll(db)
        }
    }

    public func scenarioResults(runId: Int64) throws -> [ScenarioResultRecord] {
        try scenarioResults(runIds: [runId])
    }

    public func checks(scenarioResultIds: [Int64]) throws -> [CheckRecord] {
        try writer.read { db in
            try CheckRecord.filter(scenarioResultIds.contains(Column("scenarioResultId"))).order(Column("id")).fetchAll(db)
        }
    }

    public func checks(scenarioResultId: Int64) throws -> [CheckRecord] {
        try checks(scenarioResultIds: [scenarioResultId])
    }

    public func metrics(scenarioResultIds: [Int64]) throws -> [MetricRecord] {
        try writer.read { db in
            try MetricRecord.filter(scenarioResultIds.contains(Column("scenarioResultId"))).order(Column("id")).fetchAll(db)
        }
    }

    public func metrics(scenarioResultId: Int64) throws -> [MetricRecord] {
        try metrics(scenarioResultIds: [scenarioResultId])
    }

    /// The p50 and p99 of every metric in the runs, without their histograms: what trends and
    /// the noise estimate need, read in one query.
    public func metricSummaries(runIds: [Int64]) throws -> [MetricSummary] {
        guard !runIds.isEmpty else { return [] }
        return try writer.read { db in
            try MetricSummary.fetchAll(db, sql: """
                SELECT s.runId, s.scenario, s.repetition, m.name, m.unit, m.source, m.placement, m.p50, m.p99, m.floorP50, m.floorP99
                FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId
                WHERE s.runId IN (\(runIds.map { _ in "?" }.joined(separator: ", ")))
                ORDER BY s.runId, m.id
                """, arguments: StatementArguments(runIds))
        }
    }

    // MARK: Baselines

    /// Makes `runId` the baseline of its runtime and host.
    public func setBaseline(runId: Int64, at date: Date = Date()) throws {
        try writer.write { db in
            guard let run = try RunRecord.fetchOne(db, key: runId) else { throw StoreError.noSuchRun(runId, database: writer.path) }
            try BaselineRecord(runtime: run.runtime, host: run.host, runId: runId, setAt: date).save(db)
        }
    }

    public func baseline(runtime: String, host: String) throws -> BaselineRecord? {
        try writer.read { db in try BaselineRecord.fetchOne(db, key: ["runtime": runtime, "host": host]) }
    }

    public func baselines() throws -> [BaselineRecord] {
        try writer.read { db in try BaselineRecord.order(Column("runtime"), Column("host")).fetchAll(db) }
    }

    /// Removes the baseline of a runtime and host; whether there was one.
    @discardableResult
    public func clearBaseline(runtime: String, host: String) throws -> Bool {
        try writer.write { db in try BaselineRecord.deleteOne(db, key: ["runtime": runtime, "host": host]) }
    }

    // MARK: Pruning

    /// Deletes finished runs (with everything they hold) but the newest `keep` and the
    /// baselines; returns how many went.
    @discardableResult
    public func prune(keep: Int) throws -> Int {
        try writer.write { db in
            try db.execute(sql: """
                DELETE FROM run WHERE status != 'running' AND id NOT IN (SELECT runId FROM baseline)
                AND id NOT IN (SELECT id FROM run ORDER BY id DESC LIMIT ?)
                """, arguments: [keep])
            return db.changesCount
        }
    }

    /// Deletes finished runs started before `date`, but the baselines; returns how many went.
    @discardableResult
    public func prune(startedBefore date: Date) throws -> Int {
        try writer.write { db in
            try db.execute(sql: """
                DELETE FROM run WHERE status != 'running' AND id NOT IN (SELECT runId FROM baseline) AND startedAt < ?
                """, arguments: [date])
            return db.changesCount
        }
    }
}

/// Which runs to read: every condition given must hold.
public struct RunFilter: Sendable {
    public var ids: [Int64]?
    /// Only the newest N of what the other conditions select.
    public var last: Int?
    /// Runs holding a result of one of these scenarios.
    public var scenarios: [String] = []
    public var runtime: String?
    public var host: String?
    public var since: Date?
    /// Runs older than this one.
    public var before: Int64?
    /// Leave out runs still running.
    public var finishedOnly = false

    public init(ids: [Int64]? = nil, last: Int? = nil, scenarios: [String] = [], runtime: String? = nil, host: String? = nil, since: Date? = nil, before: Int64? = nil, finishedOnly: Bool = false) {
        self.ids = ids
        self.last = last
        self.scenarios = scenarios
        self.runtime = runtime
        self.host = host
        self.since = since
        self.before = before
        self.finishedOnly = finishedOnly
    }
}

/// One metric's p50 and p99 in one scenario result, read without its histogram.
public struct MetricSummary: Codable, Sendable, FetchableRecord {
    public var runId: Int64
    public var scenario: String
    public var repetition: Int
    public var name: String
    public var unit: String
    public var source: String?
    /// Where the ends of the measurement ran (`Placement`), for a metric between containers.
    public var placement: String?
    public var p50: Int64
    public var p99: Int64
    /// p50 and p99 of its host twin, where the run was calibrated.
    public var floorP50: Int64?
    public var floorP99: Int64?
}

/// What the results database could not do.
public enum StoreError: Error, CustomStringConvertible, PodbenchErrorConvertible {
    /// The run id and the database's path.
    case noSuchRun(Int64, database: String)
    /// The database failed during a run (a full disk, an I/O error): the environment's failure.
    case failed(any Error)

    /// The one way podbench says so, whichever command was asked.
    public var description: String {
        switch self {
        case .noSuchRun(let id, let database): "there is no run \(id) in \(database); 'podbench history' lists the runs"
        case .failed(let error): "the results database failed: \(error)"
        }
    }

    public var podbenchError: PodbenchError {
        switch self {
        case .noSuchRun: PodbenchError(.notFound, description)
        case .failed(let error): PodbenchError(.store, "the results database failed", cause: "\(error)")
        }
    }
}

/// SQLite failed (a corrupt file, a full disk, an I/O error): the environment's failure.
extension DatabaseError: PodbenchErrorConvertible {
    public var podbenchError: PodbenchError {
        PodbenchError(.store, "the results database failed", cause: description)
    }
}
