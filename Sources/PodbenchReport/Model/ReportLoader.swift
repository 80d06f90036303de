import Foundation
import Histogram
import PodbenchCore
import PodbenchProbeInterface
import PodbenchStore

/// Reads runs from the store as `RunReport`s, a fixed number of queries whatever their size.
public struct ReportLoader: Sendable {
    public let store: ResultStore

    public init(store: ResultStore) {
        self.store = store
    }

    /// The runs, in the order given, each with its scenarios, checks and merged metrics.
    public func load(_ runs: [RunRecord], scenarios names: [String] = []) throws -> [RunReport] {
        let ids = runs.compactMap(\.id)
        var rows = try store.scenarioResults(runIds: ids)
        if !names.isEmpty { rows = rows.filter { names.contains($0.scenario) } }
        let rowIds = rows.compactMap(\.id)
        let checks = Dictionary(grouping: try store.checks(scenarioResultIds: rowIds), by: \.scenarioResultId)
        let metrics = Dictionary(grouping: try store.metrics(scenarioResultIds: rowIds), by: \.scenarioResultId)
        let byRun = Dictionary(grouping: rows, by: \.runId)
        return try runs.map { run in
            let results = byRun[run.id ?? -1] ?? []
            var order: [String] = []
            for row in results where !order.contains(row.scenario) { order.append(row.scenario) }
            let scenarios = try order.map { name in
                let repetitions = results.filter { $0.scenario == name }
                return try Self.fold(repetitions, checks: repetitions.map { checks[$0.id ?? -1] ?? [] }, metrics: repetitions.flatMap { metrics[$0.id ?? -1] ?? [] })
            }
            return RunReport(run: run, fingerprint: run.environment, scenarios: scenarios)
        }
    }

    /// One run by id, or the newest when `id` is nil.
    public func load(runId id: Int64?) throws -> RunReport? {
        let runs = try id.map { try store.runs(RunFilter(ids: [$0])) } ?? store.runs(RunFilter(last: 1))
        return try load(runs).first
    }

    /// Folds the repetitions of one scenario into one verdict.
    static func fold(_ rows: [ScenarioResultRecord], checks: [[CheckRecord]], metrics: [MetricRecord]) throws -> ScenarioReport {
        let statuses = Set(rows.map(\.status))
        let status: ScenarioReport.Status =
            statuses.contains(.error) ? .error
            : statuses.contains(.fail) && statuses.contains(.pass) ? .flaky
            : statuses.contains(.fail) ? .fail
            : statuses == [.skipped] ? .skipped : .pass

        // A check is one per (name, source): two containers reporting one check are two results,
        // and flaky means the same container's check passed in one repetition and failed in another.
        struct CheckKey: Hashable { var name: String; var source: String? }
        var order: [CheckKey] = []
        for record in checks.joined() where !order.contains(CheckKey(name: record.name, source: record.source)) {
            order.append(CheckKey(name: record.name, source: record.source))
        }
        let grouped = Dictionary(grouping: checks.joined(), by: { CheckKey(name: $0.name, source: $0.source) })
        let summaries = order.map { key in
            let records = grouped[key] ?? []
            let failed = records.filter { $0.outcome == .fail }
            let passed = records.contains { $0.outcome == .pass }
            let inconclusive = records.filter { $0.outcome == .inconclusive }
            let outcome: CheckSummary.Outcome =
                !failed.isEmpty ? (passed ? .flaky : .fail)
                : !inconclusive.isEmpty ? .inconclusive
                : passed ? .pass : .skip
            let evidence = failed.first ?? inconclusive.first ?? records.last
            return CheckSummary(
                name: key.name, level: evidence?.level ?? .info, outcome: outcome,
                message: evidence?.message ?? "", source: key.source, failures: failed.count, reports: records.count,
                duration: records.contains { $0.duration != nil } ? records.reduce(0) { $0 + ($1.duration ?? 0) } : nil)
        }

        var keys: [MetricKey] = []
        var merged: [MetricKey: MetricReport] = [:]
        let scenario = rows.first?.scenario ?? ""
        for record in metrics {
            let result = record.result
            let key = MetricKey(scenario: scenario, name: record.name, source: record.source, placement: result.placement?.placement)
            if var entry = merged[key] {
                entry.histogram.add(result.histogram)
                entry.invalid = entry.invalid ?? record.invalid
                entry.placement = result.placement ?? entry.placement
                // A floor stands under the merged figure only if it stood under each repetition.
                entry.floor = result.floor.flatMap { entry.floor?.adding($0) }
                merged[key] = entry
            } else {
                keys.append(key)
                merged[key] = MetricReport(scenario: scenario, name: record.name, unit: record.unit, source: record.source, histogram: result.histogram, invalid: record.invalid, placement: result.placement, floor: result.floor)
            }
        }
        let metricReports = keys.compactMap { merged[$0] }
        return ScenarioReport(
            name: scenario, status: status, repetitions: rows.count, duration: rows.reduce(0) { $0 + $1.duration },
            error: rows.compactMap(\.error).first, tolerance: rows.compactMap(\.tolerance).first, tags: rows.first?.tagList ?? [],
            checks: summaries, metrics: metricReports)
    }
}
