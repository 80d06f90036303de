import Foundation
import PodbenchStore

/// Selects runs and gathers what a report shows about them.
public struct ReportBuilder: Sendable {
    public let store: ResultStore
    public var generator: String
    /// How many runs trends span.
    public var trendLength = 30

    public init(store: ResultStore, generator: String) {
        self.store = store
        self.generator = generator
    }

    /// The runs `filter` selects (the newest alone when it names neither ids nor a count),
    /// limited to `filter.scenarios` when it names some.
    public func build(_ filter: RunFilter) throws -> Report {
        var filter = filter
        if filter.ids == nil, filter.last == nil { filter.last = 1 }
        let loader = ReportLoader(store: store)
        let runs = try loader.load(store.runs(filter), scenarios: filter.scenarios)
        guard let latest = runs.last else { return Report(runs: [], generator: generator) }
        var report = Report(runs: runs, generator: generator)
        let baselineId = try store.baseline(runtime: latest.run.runtime, host: latest.run.host)?.runId
        if let baselineId, baselineId != latest.id,
            let baseline = try loader.load(store.runs(RunFilter(ids: [baselineId])), scenarios: filter.scenarios).first
        {
            report.baseline = baseline
            report.comparison = try Comparer(store: store).compare(base: baseline, new: latest)
        }
        report.trends = try trends(for: latest, baselineId: baselineId, comparison: report.comparison)
        return report
    }

    /// Each metric of `latest` over the finished runs of its runtime and host up to it.
    func trends(for latest: RunReport, baselineId: Int64?, comparison: Comparison?) throws -> [MetricTrend] {
        var runs = try store.runs(RunFilter(last: trendLength - 1, runtime: latest.run.runtime, host: latest.run.host, before: latest.id, finishedOnly: true))
        runs.append(latest.run)
        let summaries = Dictionary(grouping: try store.metricSummaries(runIds: runs.compactMap(\.id)), by: { MetricKey(scenario: $0.scenario, name: $0.name, source: $0.source) })
        let dates = Dictionary(runs.map { ($0.id ?? 0, $0.startedAt) }, uniquingKeysWith: { a, _ in a })
        let verdicts = Dictionary((comparison?.metrics ?? []).map { ($0.key, $0.judgement?.verdict) }, uniquingKeysWith: { a, _ in a })
        let tolerances = Dictionary(latest.scenarios.map { ($0.name, $0.tolerance) }, uniquingKeysWith: { a, _ in a })
        return latest.scenarios.flatMap(\.metrics).map { metric in
            let byRun = Dictionary(grouping: summaries[metric.key] ?? [], by: \.runId).sorted { $0.key < $1.key }
            var points = byRun.map { runId, rows in
                TrendPoint(runId: runId, startedAt: dates[runId] ?? Date(), p50: median(rows.map { Double($0.p50) }), p99: median(rows.map { Double($0.p99) }), isBaseline: runId == baselineId, regressed: false)
            }
            // Earlier runs are judged against the baseline on their percentiles alone; the
            // newest carries the full comparison's verdict.
            if let base = points.first(where: \.isBaseline) {
                let rule = RegressionRule(tolerance: tolerances[metric.scenario].flatMap { $0 } ?? RegressionRule.defaultTolerance)
                let sample = { (point: TrendPoint) in MetricSample(p50: point.p50, p99: point.p99, higherIsBetter: metric.higherIsBetter) }
                for index in points.indices where points[index].runId > base.runId {
                    let history = points[..<index].filter { !$0.isBaseline }.map(sample)
                    points[index].regressed = points[index].runId == latest.id
                        ? verdicts[metric.key] == .regressed
                        : rule.judge(base: sample(base), new: sample(points[index]), history: history).verdict == .regressed
                }
            }
            return MetricTrend(key: metric.key, unit: metric.unit, points: points)
        }
    }
}
