import Foundation
import PodbenchStore

/// Selects runs and gathers what a report shows about them.
public struct ReportBuilder: Sendable {
    public let store: ResultStore
    public var generator: String
    /// How many runs trends span.
    public var trendLength = 30
    /// Overrides every scenario's tolerance in the comparison and the trends (`--tolerance`).
    public var tolerance: Double?
    /// How many earlier runs make the history that tells noise from change.
    public var historyLength = Comparer.defaultHistoryLength

    public init(store: ResultStore, generator: String) {
        self.store = store
        self.generator = generator
    }

    /// The runs `filter` selects (the newest alone when it names neither ids nor a count),
    /// limited to `filter.scenarios` when it names some; the newest (and in a runtime-class
    /// matrix, the newest of each runtime class) against its reference, as the regression gate
    /// holds it.
    public func build(_ filter: RunFilter) throws -> Report {
        var filter = filter
        if filter.ids == nil, filter.last == nil { filter.last = 1 }
        var runs = try ReportLoader(store: store).load(store.runs(filter), scenarios: filter.scenarios)
        for index in runs.indices { runs[index].floor = try HostFloor.find(for: runs[index], in: store) }
        var report = Report(runs: runs, tolerance: tolerance, scenarios: filter.scenarios, generator: generator)
        guard let latest = runs.last else { return report }
        report.baselineId = try store.baseline(runtime: latest.run.runtime, host: latest.run.host)?.runId
        let gate = RegressionGate(store: store, tolerance: tolerance)
        report.comparison = try gate.evaluate(latest, scenarios: filter.scenarios)
        for column in report.matrix?.columns ?? [] where column.run.id != latest.id {
            if let comparison = try gate.evaluate(column.run, scenarios: filter.scenarios) { report.otherComparisons.append(comparison) }
        }
        report.trends = try trends(for: latest, baselineId: report.baselineId, comparison: report.comparison)
        return report
    }

    /// Each metric of `latest` over the finished runs of its runtime and host up to it. Each run
    /// is marked regressed as the gate would have judged it: against the baseline when that is
    /// older (even outside the window), else against the run before with its fingerprint, with
    /// the earlier runs of its fingerprint as history. The newest carries the full comparison's
    /// verdict; earlier runs are judged on their percentiles alone.
    func trends(for latest: RunReport, baselineId: Int64?, comparison: Comparison?) throws -> [MetricTrend] {
        var runs = try store.runs(RunFilter(last: trendLength - 1, runtime: latest.run.runtime, host: latest.run.host, before: latest.id, finishedOnly: true))
        runs.append(latest.run)
        let ids = runs.map { $0.id ?? 0 }
        // A baseline newer than the newest run is no reference for it (`report --run`).
        let olderBaseline = baselineId.flatMap { $0 < latest.id ? $0 : nil }
        let outside = olderBaseline.flatMap { ids.contains($0) ? nil : $0 }
        let samples = Comparer.samples(try store.metricSummaries(runIds: ids + (outside.map { [$0] } ?? [])))

        // Each run's reference and history, the same for every metric.
        let digests = runs.map(\.environment.digest)
        let judged: [(reference: Int64, history: [Int64])?] = runs.indices.map { index in
            let earlier = runs.indices.prefix(index).filter { digests[$0] == digests[index] }.map { ids[$0] }
            guard let reference = olderBaseline.flatMap({ $0 < ids[index] ? $0 : nil }) ?? earlier.last else { return nil }
            return (reference, Array(earlier.filter { $0 != reference }.suffix(historyLength)))
        }

        let verdicts = Dictionary((comparison?.metrics ?? []).map { ($0.key, $0.judgement?.verdict) }, uniquingKeysWith: { a, _ in a })
        let tolerances = Dictionary(latest.scenarios.map { ($0.name, $0.tolerance) }, uniquingKeysWith: { a, _ in a })
        return latest.scenarios.flatMap(\.metrics).map { metric in
            let key = metric.key
            let rule = RegressionRule(tolerance: tolerance ?? tolerances[key.scenario].flatMap { $0 } ?? RegressionRule.defaultTolerance)
            var points: [TrendPoint] = []
            for (index, run) in runs.enumerated() {
                guard let sample = samples[ids[index]]?[key] else { continue }
                var regressed = false
                if ids[index] == latest.id {
                    regressed = verdicts[key] == .regressed
                } else if let (reference, history) = judged[index], let base = samples[reference]?[key] {
                    regressed = rule.judge(base: base, new: sample, history: history.compactMap { samples[$0]?[key] }).verdict == .regressed
                }
                points.append(TrendPoint(runId: ids[index], startedAt: run.startedAt, p50: sample.p50, p99: sample.p99, isBaseline: ids[index] == baselineId, regressed: regressed))
            }
            return MetricTrend(key: key, unit: metric.unit, points: points)
        }
    }
}
