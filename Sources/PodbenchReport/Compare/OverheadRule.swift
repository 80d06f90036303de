import Foundation

/// The regression rule on what the pod adds, where both runs measured a latency beside its host
/// twin (`run --calibrate`): their overheads (the pod's figure over the floor's) are compared,
/// not the absolute figures. A percentile (p50, p99) moved when all of these hold:
///
/// 1. the new overhead differs from the base's by more than the effective tolerance: the
///    tolerance, tripled while fewer than `minimumHistory` earlier calibrated runs tell how much
///    an overhead moves from run to run, or the spread of those runs' overheads when larger
///    (as `RegressionRule` reads a history); p99 is not judged at all without that history: a
///    tail's samples come in bursts (one stall of the machine holds many), so its interval
///    understates how far it moves from run to run (×0.2 to ×2.5 between runs on one VM);
/// 2. their 95% intervals do not overlap;
/// 3. with that history, the new overhead lies beyond the range of the earlier runs and the base.
///
/// A worse move of either is `regressed`; otherwise a better one `improved`; otherwise `unchanged`.
public struct OverheadRule: Sendable {
    /// The rule whose tolerance, history and noise factor this one shares.
    public var rule: RegressionRule
    /// Samples each histogram (the pod's, and its twins' together) needs before p99 is judged:
    /// ten beyond it.
    public var minimumTailSamples: UInt64 = 1000

    public init(tolerance: Double = RegressionRule.defaultTolerance) {
        rule = RegressionRule(tolerance: tolerance)
    }

    /// Judges `new` against `base`; `samples` is the fewest samples either run's histograms
    /// hold (the pod's, and its twins' together); `history` the earlier calibrated runs'
    /// overheads of the metric (p50, p99), oldest first.
    public func judge(base: (p50: Overhead, p99: Overhead), new: (p50: Overhead, p99: Overhead), samples: UInt64, history: [(p50: Double, p99: Double)] = []) -> MetricJudgement {
        var findings = [assess("p50", base: base.p50, new: new.p50, history: history.map(\.p50))]
        let p99Change = RegressionRule.relativeChange(from: base.p99.ratio, to: new.p99.ratio)
        if samples < minimumTailSamples {
            findings.append((nil, "overhead p99 \(RegressionRule.percent(p99Change, signed: true)) not judged: n=\(samples), a tail needs \(minimumTailSamples)"))
        } else if rule.historySpread(history.map(\.p99), base: base.p99.ratio) == nil {
            findings.append((nil, "overhead p99 \(RegressionRule.percent(p99Change, signed: true)) not judged: a tail's overhead moves from run to run beyond its interval, and fewer than \(rule.minimumHistory) earlier calibrated runs tell how far"))
        } else {
            findings.append(assess("p99", base: base.p99, new: new.p99, history: history.map(\.p99)))
        }
        let worse = findings.filter { $0.worse == true }, better = findings.filter { $0.worse == false }
        let (verdict, reasons): (MetricJudgement.Verdict, [(worse: Bool?, clause: String)]) =
            !worse.isEmpty ? (.regressed, worse) : !better.isEmpty ? (.improved, better) : (.unchanged, findings)
        var judgement = MetricJudgement(verdict: verdict, p50Change: RegressionRule.relativeChange(from: base.p50.ratio, to: new.p50.ratio),
                                        p99Change: p99Change, reason: reasons.map { $0.clause }.joined(separator: "; "))
        judgement.calibrated = true
        return judgement
    }

    /// One percentile: whether it moved (worse: true, better: false, nil: not) and why.
    func assess(_ label: String, base: Overhead, new: Overhead, history: [Double]) -> (worse: Bool?, clause: String) {
        let change = RegressionRule.relativeChange(from: base.ratio, to: new.ratio)
        let larger = change >= 0
        let spread = rule.historySpread(history, base: base.ratio)
        let fromHistory = spread?.tolerance(larger ? .larger : .smaller) ?? 0
        let unknownNoise = spread == nil && rule.unknownNoiseFactor > 1
        let effective = max(unknownNoise ? rule.tolerance * rule.unknownNoiseFactor : rule.tolerance, fromHistory)
        var tolerance = RegressionRule.percent(effective, signed: false) + " tolerance"
        if fromHistory > rule.tolerance {
            tolerance += " (spread of \(spread?.runs ?? 0) earlier calibrated runs)"
        } else if unknownNoise {
            tolerance += " (\(RegressionRule.percent(rule.tolerance, signed: false)) × \(String(format: "%g", rule.unknownNoiseFactor)): fewer than \(rule.minimumHistory) earlier calibrated runs tell the noise)"
        }
        let head = "overhead \(label) \(new.text) against \(base.text): \(RegressionRule.percent(change, signed: true))"
        guard abs(change) > effective else { return (nil, "\(head) within \(tolerance)") }
        guard larger ? new.low > base.high : new.high < base.low else { return (nil, "\(head) > \(tolerance), but the intervals overlap") }
        if let spread, larger ? new.ratio <= spread.high : new.ratio >= spread.low {
            return (nil, "\(head) > \(tolerance), but within the range of \(spread.runs) earlier calibrated runs")
        }
        return (larger, "\(head) > \(tolerance), the intervals apart" + (spread.map { ", beyond the range of \($0.runs) earlier calibrated runs" } ?? ""))
    }
}
