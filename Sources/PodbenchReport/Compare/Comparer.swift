import PodbenchCore
import PodbenchProbeInterface
import PodbenchStore

/// Compares two stored runs, with the runs between them (same runtime and host) as the
/// history that tells noise from change.
public struct Comparer: Sendable {
    public let store: ResultStore
    /// Overrides every scenario's tolerance when set.
    public var tolerance: Double?
    public static let defaultHistoryLength = 10
    /// How many earlier runs make the history.
    public var historyLength = defaultHistoryLength
    /// Whether the absolute figures are judged even where both runs stand on host twins.
    public var absolute = false

    public init(store: ResultStore, tolerance: Double? = nil) {
        self.store = store
        self.tolerance = tolerance
    }

    public func compare(base: RunReport, new: RunReport) throws -> Comparison {
        let history = try self.history(before: new, excluding: base)
        // Only the scenarios both ran are compared; the others are named as not run.
        let before = Set(base.scenarios.map(\.name)), after = Set(new.scenarios.map(\.name))
        var both = (base, new)
        both.0.scenarios.removeAll { !after.contains($0.name) }
        both.1.scenarios.removeAll { !before.contains($0.name) }
        var comparison = Comparison(
            base: base, new: new,
            fingerprintDifferences: new.fingerprint.differences(from: base.fingerprint),
            conformanceChanges: Self.conformanceChanges(base: both.0, new: both.1),
            metrics: metricComparisons(base: both.0, new: both.1, history: history))
        comparison.notRun = before.subtracting(after).sorted()
        comparison.notInBase = after.subtracting(before).sorted()
        return comparison
    }

    static func conformanceChanges(base: RunReport, new: RunReport) -> [ConformanceChange] {
        func index(_ run: RunReport) -> [String: (String, CheckSummary)] {
            var checks: [String: (String, CheckSummary)] = [:]
            for scenario in run.scenarios {
                for check in scenario.checks { checks[scenario.name + "\u{0}" + check.name + "\u{0}" + (check.source ?? "")] = (scenario.name, check) }
            }
            return checks
        }
        let before = index(base), after = index(new)
        var changes: [ConformanceChange] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            let old = before[key], now = after[key]
            guard old?.1.outcome != now?.1.outcome, let (scenario, check) = now ?? old else { continue }
            changes.append(ConformanceChange(scenario: scenario, check: check.name, level: check.level, from: old?.1.outcome, to: now?.1.outcome, message: check.message))
        }
        // New failures first, then the rest.
        return changes.filter(\.isNewFailure) + changes.filter { !$0.isNewFailure }
    }

    func metricComparisons(base: RunReport, new: RunReport, history: [MetricKey: [MetricSample]]) -> [MetricComparison] {
        let before = Dictionary(base.scenarios.flatMap(\.metrics).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.scenarios.flatMap(\.metrics).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let tolerances = Dictionary(new.scenarios.map { ($0.name, $0.tolerance) }, uniquingKeysWith: { a, _ in a })
        let tookTurns = absolute ? [] : Self.tookTurns(base).intersection(Self.tookTurns(new))
        return Set(before.keys).union(after.keys).sorted().map { key in
            let old = before[key], now = after[key]
            let tolerance = self.tolerance ?? tolerances[key.scenario].flatMap { $0 } ?? RegressionRule.defaultTolerance
            var judgement: MetricJudgement?
            // A metric without valid samples on either side has nothing to compare.
            if let old, let now, old.withoutSamples == nil, now.withoutSamples == nil {
                // The absolute figures' change, shown beside a verdict on something else.
                let change = { (percentile: Double) in RegressionRule.relativeChange(from: Double(old.percentile(percentile)), to: Double(now.percentile(percentile))) }
                if key.name == MetricName.podComplete.text, tookTurns.contains(key.scenario) {
                    judgement = MetricJudgement(verdict: .unchanged, p50Change: change(50), p99Change: change(99),
                                                reason: "not judged: both runs measured the scenario taking turns with its host twin (run --calibrate), which holds the turns' lead (chosen from the pod before it) and their wait")
                } else if !absolute, let before = old.overhead, let after = now.overhead, let baseFloor = old.floor, let newFloor = now.floor {
                    let samples = [old.count, now.count, baseFloor.count, newFloor.count].min() ?? 0
                    judgement = OverheadRule(tolerance: tolerance).judge(base: before, new: after, samples: samples, history: (history[key] ?? []).compactMap(\.overhead))
                    // The figures shown beside the verdict are the absolute ones: so are their changes.
                    judgement?.p50Change = change(50)
                    judgement?.p99Change = change(99)
                } else {
                    judgement = RegressionRule(tolerance: tolerance).judge(base: Self.sample(old), new: Self.sample(now), history: history[key] ?? [])
                    // Where one run was calibrated, say why its overhead was not what was judged.
                    if !absolute, (old.floor == nil) != (now.floor == nil) {
                        judgement?.reason += "; absolute figures: run \(old.floor == nil ? base.id : new.id) has no host twin (run --calibrate)"
                    }
                }
            }
            return MetricComparison(key: key, unit: (now ?? old)?.unit ?? "", base: old, new: now, tolerance: tolerance, judgement: judgement)
        }
    }

    /// The scenarios of `run` whose measurements took turns with their host twins.
    static func tookTurns(_ run: RunReport) -> Set<String> {
        Set(run.scenarios.filter { $0.metrics.contains { $0.floor?.tookTurns == true } }.map(\.name))
    }

    static func sample(_ metric: MetricReport) -> MetricSample {
        MetricSample(p50: Double(metric.percentile(50)), p99: Double(metric.percentile(99)), histogram: metric.histogram, higherIsBetter: metric.higherIsBetter)
    }

    /// p50 and p99 of each metric in the finished runs before `new` on its runtime and host with
    /// its fingerprint (runs elsewhere say nothing about this environment's noise), the base
    /// left out, oldest first.
    func history(before new: RunReport, excluding base: RunReport) throws -> [MetricKey: [MetricSample]] {
        let runs = try store.runs(RunFilter(last: historyLength * 5, runtime: new.run.runtime, host: new.run.host, before: new.id, finishedOnly: true))
            .filter { $0.id != base.id && $0.environment.digest == new.fingerprint.digest }.suffix(historyLength)
        var samples: [MetricKey: [MetricSample]] = [:]
        for (_, metrics) in Self.samples(try store.metricSummaries(runIds: runs.compactMap(\.id))).sorted(by: { $0.key < $1.key }) {
            for (key, sample) in metrics { samples[key, default: []].append(sample) }
        }
        return samples
    }

    /// p50 and p99 of each metric of each run, without histograms; the repetitions of a run
    /// count by their median.
    static func samples(_ summaries: [MetricSummary]) -> [Int64: [MetricKey: MetricSample]] {
        var byRun: [Int64: [MetricKey: MetricSample]] = [:]
        for (runId, rows) in Dictionary(grouping: summaries, by: \.runId) {
            var metrics: [MetricKey: MetricSample] = [:]
            for (key, reps) in Dictionary(grouping: rows, by: { MetricKey(scenario: $0.scenario, name: $0.name, source: $0.source, placement: $0.placement.flatMap(Placement.init(rawValue:))) }) {
                var sample = MetricSample(p50: median(reps.map { Double($0.p50) }), p99: median(reps.map { Double($0.p99) }), higherIsBetter: reps[0].unit != "ns")
                let floors = reps.compactMap { rep in rep.floorP50.flatMap { p50 in rep.floorP99.map { (p50: Double(p50), p99: Double($0)) } } }
                if floors.count == reps.count, floors.allSatisfy({ $0.p50 > 0 && $0.p99 > 0 }) {
                    sample.overhead = (median(zip(reps, floors).map { Double($0.p50) / $1.p50 }), median(zip(reps, floors).map { Double($0.p99) / $1.p99 }))
                }
                metrics[key] = sample
            }
            byRun[runId] = metrics
        }
        return byRun
    }
}
