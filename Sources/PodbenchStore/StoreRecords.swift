import Foundation
import GRDB
import PodbenchCore

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
    /// `running`, then `passed`, `failed`, `error` or `interrupted`.
    public var status: String
    /// The environment fingerprint, JSON.
    public var fingerprint: String
    /// How many times each scenario ran (`run --repeat`).
    public var repetitions: Int

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
}

/// A row of `scenarioResult`: one scenario's verdict within a run.
public struct ScenarioResultRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "scenarioResult"
    public var id: Int64?
    public var runId: Int64
    public var scenario: String
    /// `pass`, `fail`, `error` or `skipped`.
    public var status: String
    public var startedAt: Date
    /// Seconds.
    public var duration: Double
    public var error: String?
    /// From 1; several under `run --repeat`.
    public var repetition: Int
    /// The scenario's regression tolerance (0.25 is 25%), nil for the default.
    public var tolerance: Double?

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A row of `checkResult`.
public struct CheckRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "checkResult"
    public var id: Int64?
    public var scenarioResultId: Int64
    public var name: String
    /// `MUST`, `SHOULD` or `INFO`.
    public var level: String
    /// `pass`, `fail`, `skip` or `inconclusive`.
    public var outcome: String
    public var message: String
    /// `pod/container` that reported it; nil for checks the runner judged.
    public var source: String?
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

    /// The stored histogram as a `MetricResult`.
    public var result: MetricResult {
        MetricResult(name: name, unit: unit, source: source, values: HistogramEncoding.decode(Array(histogram)) ?? [], invalid: invalid)
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
