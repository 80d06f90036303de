import Foundation
import Histogram
import PodbenchCore
import PodbenchStore
import PodbenchSystem

/// The JSON report, schema `podbench.report/v1` (documented in docs/report-json.md). Fields are
/// only added within a version; a change that removes or retypes one bumps it.
public struct JSONReport: ReportFormat {
    public static let schema = "podbench.report/v1"

    public init() {}

    public func render(_ report: Report) throws -> String {
        let document = Document(schema: Self.schema, generator: report.generator, generatedAt: report.generatedAt, runs: report.runs.map { Run($0, comparison: report.comparison(of: $0)) },
                                comparison: report.comparison.map(ComparisonDocument.init), otherComparisons: report.otherComparisons.map(ComparisonDocument.init))
        return String(decoding: try Self.encoder(pretty: true).encode(document), as: UTF8.self)
    }

    /// One run as one line of JSON, for `podbench db export`.
    public static func line(_ run: RunReport) throws -> String {
        String(decoding: try encoder(pretty: false).encode(Run(run, comparison: nil)), as: UTF8.self)
    }

    /// Every run of `store` as JSON lines (`export`) on standard output, or into `file`: a
    /// file that cannot be written is bad input, said before anything is read, and a file
    /// whose writing fails is left as it was.
    public static func export(_ store: ResultStore, file: String?) throws {
        guard let file else {
            try export(store) { try StandardStreams.write($0) }
            return
        }
        if let problem = ReportFile.problem(writing: file) {
            throw PodbenchError(.badInput, "--output \(file) cannot be written: \(problem); name another file")
        }
        do {
            try ReportFile.stream(to: file) { write in try export(store, to: write) }
        } catch let failure as ReportFile.Failure {
            throw PodbenchError(.runtime, "\(failure); \(file) is left as it was")
        }
        StandardStreams.error("podbench: wrote \(file)\n")
    }

    /// Every run of `store` as JSON lines, oldest first, each handed to `write` as soon as it is
    /// made: runs are read `batch` at a time, so memory stays bounded however big the database.
    public static func export(_ store: ResultStore, batch: Int = 50, to write: (String) throws -> Void) throws {
        let loader = ReportLoader(store: store)
        let runs = try store.runs()
        for start in stride(from: 0, to: runs.count, by: max(batch, 1)) {
            for run in try loader.load(Array(runs[start..<min(start + max(batch, 1), runs.count)])) {
                try write(try line(run) + "\n")
            }
        }
    }

    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    struct Document: Encodable {
        var schema: String
        var generator: String
        var generatedAt: Date
        var runs: [Run]
        var comparison: ComparisonDocument?
        var otherComparisons: [ComparisonDocument]
    }

    struct Run: Encodable {
        var id: Int64
        var startedAt: Date
        var finishedAt: Date?
        var runtime: String
        var host: String
        var status: String
        /// What the run came to (`RunOutcome`), the word every format says.
        var outcome: String
        /// The status podbench exited with for the run; absent when not known.
        var exitStatus: Int32?
        /// SHOULD/INFO checks that failed, and metrics that regressed against the reference.
        var warnings: RunWarnings
        var repetitions: Int
        var fingerprint: Fingerprint
        var fingerprintDigest: String
        var scenarios: [Scenario]
        /// The host run under this pod run's figures (`metric.host`), where there is one.
        var hostRun: Int64?

        init(_ run: RunReport, comparison: Comparison?) {
            id = run.id
            outcome = run.outcome(against: comparison).rawValue
            exitStatus = run.exitStatus(against: comparison)
            warnings = run.warnings(against: comparison)
            startedAt = run.run.startedAt
            finishedAt = run.run.finishedAt
            runtime = run.run.runtime
            host = run.run.host
            status = run.run.status.rawValue
            repetitions = run.run.repetitions
            fingerprint = run.fingerprint
            fingerprintDigest = run.fingerprint.digest
            scenarios = run.scenarios.map { Scenario($0, floor: run.floor) }
            hostRun = run.floor?.runId
        }
    }

    struct Scenario: Encodable {
        var name: String
        var status: String
        var repetitions: Int
        var duration: Double
        var error: String?
        var regressionTolerance: Double?
        var checks: [Check]
        var metrics: [Metric]

        init(_ scenario: ScenarioReport, floor: HostFloor?) {
            name = scenario.name
            status = scenario.status.rawValue
            repetitions = scenario.repetitions
            duration = scenario.duration
            error = scenario.error
            regressionTolerance = scenario.tolerance
            checks = scenario.checks.map { Check(name: $0.name, level: $0.level.rawValue, outcome: $0.outcome.rawValue, message: $0.message, source: $0.source, failures: $0.failures, reports: $0.reports) }
            metrics = scenario.metrics.map { Metric($0, floor: floor) }
        }
    }

    struct Check: Encodable {
        var name, level, outcome, message: String
        var source: String?
        var failures, reports: Int
    }

    struct Metric: Encodable {
        var name, unit: String
        var source: String?
        var count: UInt64
        /// Absent (null) when the metric has no valid samples; `missing` says why.
        var min, p50, p90, p99, p999, max: UInt64?
        /// "no samples", or why the samples are not valid; absent when there are figures.
        var missing: String?
        /// The merged HDR histogram's recorded (value, count) pairs.
        var histogram: [[UInt64]]
        /// Where the ends of a measurement between containers ran, and each end's CPUs.
        var placement: MetricPlacement?
        /// The host run's figures under it, and the pod's overhead over them.
        var host: HostFigures?
        /// Its host twin in this run (run --calibrate), and the pod's overhead over it.
        var twin: TwinFigures?

        init(_ metric: MetricReport, floor: HostFloor?) {
            name = metric.name
            if let floor, let sample = floor.sample(under: metric), let overhead = floor.overhead(of: metric) {
                host = HostFigures(run: floor.runId, p50: UInt64(sample.p50), p99: UInt64(sample.p99), overheadP50: overhead.p50, overheadP99: overhead.p99)
            }
            if let floor = metric.floor, let overhead = metric.overhead {
                let merged = floor.merged
                twin = TwinFigures(
                    turns: floor.tookTurns, before: Percentiles(floor.before), after: floor.after.map(Percentiles.init), p50: merged.valueAtPercentile(50), p99: merged.valueAtPercentile(99),
                    overheadP50: Ratio(overhead.p50), overheadP99: Ratio(overhead.p99))
            }
            unit = metric.unit
            source = metric.source
            placement = metric.placement
            count = metric.count
            missing = metric.withoutSamples
            histogram = metric.histogram.recordedPairs
            guard missing == nil else { return }
            min = metric.min
            p50 = metric.percentile(50)
            p90 = metric.percentile(90)
            p99 = metric.percentile(99)
            p999 = metric.percentile(99.9)
            max = metric.max
        }
    }

    struct TwinFigures: Encodable {
        var turns: Bool
        var before: Percentiles
        var after: Percentiles?
        var p50, p99: UInt64
        var overheadP50, overheadP99: Ratio
    }

    struct Percentiles: Encodable {
        var count, p50, p99: UInt64

        init(_ histogram: Histogram<UInt64>) {
            count = histogram.totalCount
            p50 = histogram.valueAtPercentile(50)
            p99 = histogram.valueAtPercentile(99)
        }
    }

    struct Ratio: Encodable {
        var ratio, low, high: Double

        init(_ overhead: Overhead) {
            ratio = overhead.ratio
            low = overhead.low
            high = overhead.high
        }
    }

    struct HostFigures: Encodable {
        var run: Int64
        var p50, p99: UInt64
        var overheadP50, overheadP99: Double
    }

    struct ComparisonDocument: Encodable {
        var baseRun, newRun: Int64
        var againstBaseline: Bool
        var fingerprintDifferences: [String]
        var conformanceChanges: [Change]
        var metrics: [MetricChange]
        /// Scenarios one of the two runs did not run: not compared.
        var notRun, notInBase: [String]

        init(_ comparison: Comparison) {
            notRun = comparison.notRun
            notInBase = comparison.notInBase
            baseRun = comparison.base.id
            newRun = comparison.new.id
            againstBaseline = comparison.againstBaseline
            fingerprintDifferences = comparison.fingerprintDifferences
            conformanceChanges = comparison.conformanceChanges.map { Change(scenario: $0.scenario, check: $0.check, level: $0.level.rawValue, from: $0.from?.rawValue, to: $0.to?.rawValue, message: $0.message) }
            metrics = comparison.metrics.map {
                MetricChange(
                    scenario: $0.key.scenario, name: $0.key.name, source: $0.key.source, placement: $0.key.placement?.rawValue, unit: $0.unit, tolerance: $0.tolerance,
                    baseP50: $0.base?.percentile(50), baseP99: $0.base?.percentile(99), newP50: $0.new?.percentile(50), newP99: $0.new?.percentile(99),
                    verdict: $0.judgement?.verdict.rawValue, reason: $0.judgement?.reason, calibrated: $0.judgement?.calibrated)
            }
        }
    }

    struct Change: Encodable {
        var scenario, check, level: String
        var from, to: String?
        var message: String
    }

    struct MetricChange: Encodable {
        var scenario, name: String
        var source, placement: String?
        var unit: String
        var tolerance: Double
        var baseP50, baseP99, newP50, newP99: UInt64?
        var verdict, reason: String?
        var calibrated: Bool?
    }
}
