/// The regression rule on what the pod adds, where both runs measured a latency beside its host
/// twin (`run --calibrate`): their overheads (the pod's figure over the floor's) are compared,
/// not the absolute figures, which move with the machine between runs an hour apart. A
/// percentile (p50, p99) moved when the new overhead differs from the base's by more than the
/// tolerance and their 95% intervals do not overlap. A worse move of either is `regressed`;
/// otherwise a better one `improved`; otherwise `unchanged`.
public struct OverheadRule: Sendable {
    /// Smallest relative change of the overhead that can count.
    public var tolerance: Double
    /// Samples each histogram needs before p99 is judged (ten beyond it).
    public var minimumTailSamples: UInt64 = 1000

    public init(tolerance: Double = RegressionRule.defaultTolerance) {
        self.tolerance = tolerance
    }

    /// Judges `new` against `base`; `samples` is the fewest samples either run's histograms
    /// (the pod's and its twins') hold.
    public func judge(base: (p50: Overhead, p99: Overhead), new: (p50: Overhead, p99: Overhead), samples: UInt64) -> MetricJudgement {
        let p50 = assess("p50", base: base.p50, new: new.p50)
        var findings = [p50]
        let p99Change = RegressionRule.relativeChange(from: base.p99.ratio, to: new.p99.ratio)
        if samples < minimumTailSamples {
            findings.append((nil, "overhead p99 \(RegressionRule.percent(p99Change, signed: true)) not judged: n=\(samples), a tail needs \(minimumTailSamples)"))
        } else {
            findings.append(assess("p99", base: base.p99, new: new.p99))
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
    func assess(_ label: String, base: Overhead, new: Overhead) -> (worse: Bool?, clause: String) {
        let change = RegressionRule.relativeChange(from: base.ratio, to: new.ratio)
        let head = "overhead \(label) \(new.text) against \(base.text): \(RegressionRule.percent(change, signed: true))"
        let tolerance = RegressionRule.percent(self.tolerance, signed: false) + " tolerance"
        guard abs(change) > self.tolerance else { return (nil, "\(head) within \(tolerance)") }
        let apart = change > 0 ? new.low > base.high : new.high < base.low
        guard apart else { return (nil, "\(head) > \(tolerance), but the intervals overlap") }
        return (change > 0, "\(head) > \(tolerance), the intervals apart")
    }
}
