import Foundation
import GRDB
import PodbenchCore
import PodbenchSystem

/// A row of `run`: one invocation of `podbench run`.
public struct RunRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"
    public var id: Int64?
    public var startedAt: Date
    public var finishedAt: Date?
    public var runtime: String
    public var host: String
    public var kernel: String
    public var podbenchVersion: String
    public var status: RunStatus
    /// The environment fingerprint, JSON.
    public var fingerprint: String
    /// How many times each scenario ran (`run --repeat`).
    public var repetitions: Int
    /// The lock file the run holds while it goes (`RunLock`); nil for a run stored by an older
    /// podbench or without one.
    public var lock: String?
    /// When the run was last seen alive: its start, then each scenario it stored.
    public var lastSeenAt: Date?
    /// The status podbench exited with for this run; nil while it runs, or when its podbench
    /// was killed.
    public var exitStatus: Int32?

    /// The decoded fingerprint; `Fingerprint.unknown` for runs stored without one.
    public var environment: Fingerprint {
        (try? JSONDecoder().decode(Fingerprint.self, from: Data(fingerprint.utf8))) ?? .unknown
    }

    /// Seconds from start to finish, nil while running.
    public var duration: Double? {
        finishedAt.map { $0.timeIntervalSince(startedAt) }
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    public init(id: Int64? = nil, startedAt: Date, finishedAt: Date? = nil, runtime: String, host: String, kernel: String, podbenchVersion: String, status: RunStatus, fingerprint: String, repetitions: Int, lock: String? = nil, lastSeenAt: Date? = nil, exitStatus: Int32? = nil) {
        (self.id, self.startedAt, self.finishedAt, self.runtime, self.host) = (id, startedAt, finishedAt, runtime, host)
        (self.kernel, self.podbenchVersion, self.status, self.fingerprint, self.repetitions) = (kernel, podbenchVersion, status, fingerprint, repetitions)
        (self.lock, self.lastSeenAt, self.exitStatus) = (lock, lastSeenAt, exitStatus)
    }

    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        startedAt = try row.decode(forColumn: "startedAt")
        finishedAt = try row.decode(forColumn: "finishedAt")
        runtime = try row.decode(forColumn: "runtime")
        host = try row.decode(forColumn: "host")
        kernel = try row.decode(forColumn: "kernel")
        podbenchVersion = try row.decode(forColumn: "podbenchVersion")
        status = try row.known("status", of: "run \(id ?? 0)")
        fingerprint = try row.decode(forColumn: "fingerprint")
        repetitions = try row.decode(forColumn: "repetitions")
        lock = try row.decode(forColumn: "lock")
        lastSeenAt = try row.decode(forColumn: "lastSeenAt")
        exitStatus = try row.decode(forColumn: "exitStatus")
    }
}

/// A row of `scenarioResult`: one scenario's verdict within a run.
public struct ScenarioResultRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "scenarioResult"
    public var id: Int64?
    public var runId: Int64
    public var scenario: String
    public var status: ScenarioResult.Status
    public var startedAt: Date
    /// Seconds.
    public var duration: Double
    public var error: String?
    /// From 1; several under `run --repeat`.
    public var repetition: Int
    /// The scenario's regression tolerance (0.25 is 25%), nil for the default.
    public var tolerance: Double?
    /// The scenario's tags as a JSON array; nil in runs stored before podbench kept them.
    public var tags: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    public init(id: Int64? = nil, runId: Int64, scenario: String, status: ScenarioResult.Status, startedAt: Date, duration: Double, error: String?, repetition: Int, tolerance: Double?, tags: [String] = []) {
        (self.id, self.runId, self.scenario, self.status, self.startedAt) = (id, runId, scenario, status, startedAt)
        (self.duration, self.error, self.repetition, self.tolerance) = (duration, error, repetition, tolerance)
        self.tags = tags.isEmpty ? nil : (try? JSONEncoder().encode(tags)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The scenario's tags; none when it had none, or when the run is older than the tags.
    public var tagList: [String] {
        tags.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
    }

    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        runId = try row.decode(forColumn: "runId")
        scenario = try row.decode(forColumn: "scenario")
        status = try row.known("status", of: "scenario \(scenario)")
        startedAt = try row.decode(forColumn: "startedAt")
        duration = try row.decode(forColumn: "duration")
        guard duration.isFinite, duration >= 0 else { throw Row.unknown("duration", "\(duration)", "scenario \(scenario)") }
        error = try row.decode(forColumn: "error")
        repetition = try row.decode(forColumn: "repetition")
        tolerance = try row.decode(forColumn: "tolerance")
        tags = try row.decode(forColumn: "tags")
    }
}

/// A row of `checkResult`.
public struct CheckRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "checkResult"
    public var id: Int64?
    public var scenarioResultId: Int64
    public var name: String
    public var level: Level
    public var outcome: CheckResult.Outcome
    public var message: String
    /// `pod/container` that reported it; nil for checks the runner judged.
    public var source: String?
    /// How long it took to judge, in seconds (`CheckResult.duration`).
    public var duration: Double?

    public init(id: Int64? = nil, scenarioResultId: Int64, name: String, level: Level, outcome: CheckResult.Outcome, message: String, source: String?, duration: Double? = nil) {
        (self.id, self.scenarioResultId, self.name, self.level, self.outcome, self.message, self.source) = (id, scenarioResultId, name, level, outcome, message, source)
        self.duration = duration
    }

    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        scenarioResultId = try row.decode(forColumn: "scenarioResultId")
        name = try row.decode(forColumn: "name")
        outcome = try row.known("outcome", of: "check \(name)")
        level = try row.known("level", of: "check \(name)")
        message = try row.decode(forColumn: "message")
        source = try row.decode(forColumn: "source")
        duration = try row.decode(forColumn: "duration")
    }
}

extension Row {
    /// A column that holds one of an enumeration's raw values. Any other value is a damaged
    /// database, or another podbench's: said so (`what` names the row), never read as a guess.
    func known<Value: RawRepresentable>(_ column: String, of what: @autoclosure () -> String) throws -> Value where Value.RawValue == String {
        let text: String = try decode(forColumn: column)
        guard let value = Value(rawValue: text) else { throw Self.unknown(column, text, what()) }
        return value
    }

    static func unknown(_ column: String, _ value: String, _ row: String) -> PodbenchError {
        PodbenchError(.store, "the results database holds an unknown \(column) '\(value)' (\(row)): it is damaged, or was written by another podbench")
    }
}

/// A row of `metric`: a latency histogram (nanoseconds) and its summary.
public struct MetricRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "metric"
    public var id: Int64?
    public var scenarioResultId: Int64
    public var name: String
    public var unit: String
    public var source: String?
    public var count: Int64
    public var min: Int64
    public var p50: Int64
    public var p90: Int64
    public var p99: Int64
    public var p999: Int64
    public var max: Int64
    public var mean: Double
    /// `HistogramEncoding` of the recorded values.
    public var histogram: Data
    /// Why the samples are not valid (none are kept), or nil.
    public var invalid: String?
    /// Where the ends of the measurement ran (`Placement`), for a metric between containers.
    public var placement: String?
    /// The whole `MetricPlacement`, JSON: each end's CPUs.
    public var cpus: String?
    /// The host twin's histograms, before and after the pod's (`HistogramEncoding`), or nil.
    public var floorBefore: Data? = nil
    public var floorAfter: Data? = nil
    /// p50 and p99 of the twin's samples, before and after together.
    public var floorP50: Int64? = nil
    public var floorP99: Int64? = nil

    /// The stored histogram as a `MetricResult`.
    public var result: MetricResult {
        let decode = { (blob: Data) in MetricResult.histogram(HistogramEncoding.decode(Array(blob)) ?? []) }
        var result = MetricResult(name: name, unit: unit, source: source, values: HistogramEncoding.decode(Array(histogram)) ?? [], invalid: invalid,
                                  placement: cpus.flatMap { try? JSONDecoder().decode(MetricPlacement.self, from: Data($0.utf8)) })
        if let floorBefore {
            result.floor = MetricFloor(before: decode(floorBefore), after: floorAfter.map(decode))
        }
        return result
    }
}

/// A row of `baseline`: the run that later runs of this runtime and host are compared with.
public struct BaselineRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "baseline"
    public var runtime: String
    public var host: String
    public var runId: Int64
    public var setAt: Date
}
