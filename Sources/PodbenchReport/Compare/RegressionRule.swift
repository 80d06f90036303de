import Foundation
import Histogram

/// One run's view of one metric.
public struct MetricSample: Sendable {
    public var p50: Double
    public var p99: Double
    /// The full distribution, when the caller has it (history entries may carry only p50/p99).
    public var histogram: Histogram<UInt64>?
    /// Throughput (MB/s) is better when higher; latencies when lower.
    public var higherIsBetter: Bool
    /// p50 and p99 over the host twin's, where the run was calibrated (`run --calibrate`).
    public var overhead: (p50: Double, p99: Double)?

    public init(p50: Double, p99: Double, histogram: Histogram<UInt64>? = nil, higherIsBetter: Bool = false) {
        self.p50 = p50
        self.p99 = p99
        self.histogram = histogram
        self.higherIsBetter = higherIsBetter
    }

    /// p50 and p99 read off the histogram.
    public init(histogram: Histogram<UInt64>, higherIsBetter: Bool = false) {
        self.init(p50: Double(histogram.valueAtPercentile(50)), p99: Double(histogram.valueAtPercentile(99)),
                  histogram: histogram, higherIsBetter: higherIsBetter)
    }
}

public struct MetricJudgement: Sendable, Equatable {
    public enum Verdict: String, Sendable, Codable { case improved, unchanged, regressed }
    public var verdict: Verdict
    /// Relative change of p50 and p99, NEW against BASE: +0.25 is 25% larger.
    public var p50Change: Double
    public var p99Change: Double
    /// One line a person reads: why this verdict (which percentile, the change against the effective
    /// tolerance, the test's figures), e.g. "p50 +102% > 10% tolerance; distribution shift A=0.97 (p<0.001)".
    public var reason: String
    /// Whether the pod's overheads over its host twin were judged (`OverheadRule`), not the
    /// absolute figures.
    public var calibrated = false

    public init(verdict: Verdict, p50Change: Double, p99Change: Double, reason: String) {
        self.verdict = verdict
        self.p50Change = p50Change
        self.p99Change = p99Change
        self.reason = reason
    }
}

/// The noise-aware regression rule. A percentile (p50 or p99) has moved only when all of these hold:
///
/// 1. its relative change exceeds the effective tolerance: with at least `minimumHistory`
///    earlier runs, the tolerance or the change e^(k√2σ) − 1 (down: 1 − e^−(k√2σ)) when that is
///    larger, where k is `historySpreadFactor` and σ the spread of ln(value) over those runs and
///    BASE (the larger of 1.4826 × MAD and the standard deviation); with fewer, the tolerance
///    times `unknownNoiseFactor`;
/// 2. with that history, NEW lies beyond the range of the earlier runs and BASE, on the side it moved to;
/// 3. when both histograms hold at least `minimumSamples` samples, a distribution test agrees:
///    for p50, Mann–Whitney with effect size A ≥ `minimumEffectSize` (or ≤ 1 − it) and
///    p < `significanceLevel`; for p99, the fraction of samples beyond the other run's p99 is at
///    least `minimumTailRatio` times the expected one, with p < `significanceLevel`.
///
/// A worse move of either percentile is `regressed` (even if the other improved); otherwise a better
/// move is `improved`; otherwise `unchanged`.
public struct RegressionRule: Sendable {
    public static let defaultTolerance = 0.10
    /// Smallest relative change that can count (a scenario may set its own).
    public var tolerance: Double
    /// Vargha–Delaney A at or beyond which a p50 shift counts: 0.64 is a "medium" effect.
    public var minimumEffectSize = 0.64
    /// Largest p-value of a distribution test that counts.
    public var significanceLevel = 0.01
    /// How many times the expected fraction of samples beyond the other run's p99 a p99 move needs.
    public var minimumTailRatio = 2.0
    /// Fewest samples in each histogram for the distribution tests; with fewer, tolerance and history decide.
    public var minimumSamples: UInt64 = 20
    /// Fewest earlier runs for the history to be used.
    public var minimumHistory = 5
    /// Samples each histogram needs before p99 is judged at all: 1,000 puts ten beyond it.
    public var minimumTailSamples: UInt64 = 1000
    /// How many standard deviations of the difference of two runs a change must exceed.
    public var historySpreadFactor = 3.0
    /// How many times the tolerance a change must exceed while fewer than `minimumHistory`
    /// earlier runs tell the host's run-to-run noise: on a shared VM two runs in a row differ by
    /// 20-25% at times, which the histograms of one run cannot see (their samples are one run's).
    public var unknownNoiseFactor = 3.0

    public init(tolerance: Double = defaultTolerance) {
        self.tolerance = tolerance
    }

    /// `history`: earlier runs' samples of the same metric (oldest first), not including base or new.
    public func judge(base: MetricSample, new: MetricSample, history: [MetricSample]) -> MetricJudgement {
        let p50Change = Self.relativeChange(from: base.p50, to: new.p50)
        let p99Change = Self.relativeChange(from: base.p99, to: new.p99)
        let p50 = assess(label: "p50", base: base.p50, new: new.p50, change: p50Change,
                         history: history.map(\.p50)) { shiftTest(base: base, new: new, direction: $0) }
        var findings = [p50]
        // One-sample metrics (throughput) have p99 = p50: judge that value once.
        let sameValue = base.p99 == base.p50 && new.p99 == new.p50 && history.allSatisfy { $0.p99 == $0.p50 }
        let fewest = min(base.histogram?.totalCount ?? .max, new.histogram?.totalCount ?? .max)
        if !sameValue, fewest >= minimumSamples, fewest < minimumTailSamples {
            // A p99 of a few hundred samples rests on a handful of them: too few to judge.
            findings.append(Finding(direction: nil, clause: "p99 \(Self.percent(p99Change, signed: true)) not judged: n=\(fewest), a tail test needs \(minimumTailSamples)"))
        } else if !sameValue {
            findings.append(assess(label: "p99", base: base.p99, new: new.p99, change: p99Change,
                                   history: history.map(\.p99)) { tailTest(base: base, new: new, direction: $0) })
        }

        let higherIsBetter = new.higherIsBetter
        func isWorse(_ direction: Direction) -> Bool { (direction == .larger) != higherIsBetter }
        let worse = findings.filter { $0.direction.map(isWorse) == true }
        let better = findings.filter { $0.direction.map { !isWorse($0) } == true }
        let verdict: MetricJudgement.Verdict
        let reasons: [Finding]
        if !worse.isEmpty {
            verdict = .regressed
            reasons = worse
        } else if !better.isEmpty {
            verdict = .improved
            reasons = better
        } else {
            verdict = .unchanged
            reasons = findings
        }
        return MetricJudgement(verdict: verdict, p50Change: p50Change, p99Change: p99Change,
                               reason: reasons.map(\.clause).joined(separator: "; "))
    }

    /// (new − base) / base; ±infinity when BASE is zero or negative and NEW is not equal to it.
    static func relativeChange(from base: Double, to new: Double) -> Double {
        if base > 0 { return (new - base) / base }
        if new == base { return 0 }
        return new > base ? .infinity : -.infinity
    }

    // MARK: One percentile

    enum Direction { case larger, smaller }

    struct Finding {
        /// Set when the change counts.
        var direction: Direction?
        var clause: String
    }

    enum TestOutcome {
        case confirmed(String)
        case rejected(String)
        case skipped(String)
        /// Histograms too small for a test: only a history can tell their change from noise.
        case tooFewSamples(String)
    }

    /// The history's figures for one percentile.
    struct HistorySpread {
        var runs: Int
        /// historySpreadFactor × √2 × the spread of ln(value): the largest |ln(NEW / BASE)| that is noise.
        var logTolerance: Double
        var low: Double
        var high: Double

        /// The tolerance as a relative change in `direction`: e^t − 1 up, 1 − e^−t down.
        func tolerance(_ direction: Direction) -> Double {
            direction == .larger ? exp(logTolerance) - 1 : 1 - exp(-logTolerance)
        }
    }

    /// The spread of the earlier runs and BASE: the larger of 1.4826 × MAD and the standard
    /// deviation of ln(value), so that neither estimate coming out small by chance makes noise count.
    func historySpread(_ values: [Double], base: Double) -> HistorySpread? {
        let earlier = values.filter { $0.isFinite && $0 > 0 }
        guard earlier.count >= max(minimumHistory, 1), base.isFinite, base > 0 else { return nil }
        let pooled = earlier + [base]
        guard let low = pooled.min(), let high = pooled.max() else { return nil }
        let logs = pooled.map { log($0) }
        let center = median(logs)
        let mad = 1.4826 * median(logs.map { abs($0 - center) })
        let mean = logs.reduce(0, +) / Double(logs.count)
        let deviation = (logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(logs.count - 1)).squareRoot()
        let spread = max(mad, deviation)
        return HistorySpread(runs: earlier.count, logTolerance: historySpreadFactor * 2.0.squareRoot() * spread,
                             low: low, high: high)
    }

    func assess(label: String, base: Double, new: Double, change: Double, history: [Double],
                test: (Direction) -> TestOutcome) -> Finding {
        let direction: Direction = change >= 0 ? .larger : .smaller
        let history = historySpread(history, base: base)
        let fromHistory = history?.tolerance(direction) ?? 0
        let unknownNoise = history == nil && unknownNoiseFactor > 1
        let effective = max(unknownNoise ? tolerance * unknownNoiseFactor : tolerance, fromHistory)
        var toleranceText = Self.percent(effective, signed: false) + " tolerance"
        if fromHistory > tolerance {
            toleranceText += " (spread of \(history?.runs ?? 0) earlier runs)"
        } else if unknownNoise {
            toleranceText += " (\(Self.percent(tolerance, signed: false)) × \(String(format: "%g", unknownNoiseFactor)): fewer than \(minimumHistory) earlier runs tell the noise)"
        }
        let head = "\(label) \(Self.percent(change, signed: true))"

        guard abs(change) > effective else {
            return Finding(direction: nil, clause: "\(head) within \(toleranceText)")
        }
        var clause = "\(head) > \(toleranceText)"
        if let history {
            let beyond = direction == .larger ? new > history.high : new < history.low
            guard beyond else {
                return Finding(direction: nil, clause: clause + " but within the range of \(history.runs) earlier runs")
            }
            clause += ", beyond the range of \(history.runs) earlier runs"
        }
        switch test(direction) {
        case .confirmed(let text):
            return Finding(direction: direction, clause: "\(clause); \(text)")
        case .rejected(let text):
            return Finding(direction: nil, clause: "\(clause) but \(text)")
        case .skipped(let text):
            return Finding(direction: direction, clause: "\(clause) (\(text))")
        case .tooFewSamples(let text):
            // One sample (a throughput, a pod's start) says nothing of its own noise.
            guard history != nil else {
                return Finding(direction: nil, clause: "\(clause) but \(text) and fewer than \(minimumHistory) earlier runs: not judged")
            }
            return Finding(direction: direction, clause: "\(clause) (\(text))")
        }
    }

    // MARK: Distribution tests

    /// The histograms when both hold enough samples for a test, or why not.
    enum Testable {
        case both(base: Histogram<UInt64>, new: Histogram<UInt64>)
        case skipped(String)
        case tooFewSamples(String)
    }

    func testable(_ base: MetricSample, _ new: MetricSample) -> Testable {
        guard let baseHistogram = base.histogram, let newHistogram = new.histogram else {
            return .skipped("no histogram: no distribution test")
        }
        let fewest = min(baseHistogram.totalCount, newHistogram.totalCount)
        guard fewest >= max(minimumSamples, 1) else {
            return .tooFewSamples("n=\(fewest): no distribution test")
        }
        return .both(base: baseHistogram, new: newHistogram)
    }

    /// p50: Mann–Whitney over the two histograms, effect size and significance.
    func shiftTest(base: MetricSample, new: MetricSample, direction: Direction) -> TestOutcome {
        let (baseHistogram, newHistogram): (Histogram<UInt64>, Histogram<UInt64>)
        switch testable(base, new) {
        case .both(let baseSide, let newSide): (baseHistogram, newHistogram) = (baseSide, newSide)
        case .skipped(let text): return .skipped(text)
        case .tooFewSamples(let text): return .tooFewSamples(text)
        }
        guard let test = MannWhitney(base: baseHistogram, new: newHistogram) else {
            return .skipped("empty histogram: no distribution test")
        }
        let text = "distribution shift A=\(String(format: "%.2f", test.a)) (\(Self.pText(test.pValue)))"
        let large = direction == .larger ? test.a >= minimumEffectSize : test.a <= 1 - minimumEffectSize
        if !large {
            let bound = direction == .larger ? "under \(minimumEffectSize)" : "over \(String(format: "%.2f", 1 - minimumEffectSize))"
            return .rejected("\(text) is \(bound)")
        }
        if test.pValue >= significanceLevel {
            return .rejected("\(text) is not significant")
        }
        return .confirmed(text)
    }

    /// p99: samples beyond the other run's p99. A larger p99 is NEW's samples above BASE's p99;
    /// a smaller one is BASE's samples above NEW's p99.
    func tailTest(base: MetricSample, new: MetricSample, direction: Direction) -> TestOutcome {
        let (baseHistogram, newHistogram): (Histogram<UInt64>, Histogram<UInt64>)
        switch testable(base, new) {
        case .both(let baseSide, let newSide): (baseHistogram, newHistogram) = (baseSide, newSide)
        case .skipped(let text): return .skipped(text)
        case .tooFewSamples(let text): return .tooFewSamples(text)
        }
        let (reference, candidate, names) = direction == .larger
            ? (baseHistogram, newHistogram, ("NEW", "BASE")) : (newHistogram, baseHistogram, ("BASE", "NEW"))
        guard let test = TailExceedance(reference: reference, candidate: candidate) else {
            return .skipped("empty histogram: no tail test")
        }
        let text = "tail: \(Self.fraction(test.candidateFraction)) of \(names.0) above \(names.1) p99"
            + " (expected \(Self.fraction(test.referenceFraction)), \(Self.pText(test.pValue)))"
        if test.ratio < minimumTailRatio || test.z <= 0 {
            return .rejected("\(text) is under \(String(format: "%g", minimumTailRatio))x")
        }
        if test.pValue >= significanceLevel {
            return .rejected("\(text) is not significant")
        }
        return .confirmed(text)
    }

    // MARK: Helpers

    /// "+102%", "-4.3%", "10%", "12.5%".
    static func percent(_ value: Double, signed: Bool) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "+inf%" : "-inf%") }
        let hundredths = value * 100
        let wholeTenths = (hundredths * 10).rounded() == (hundredths.rounded() * 10)
        let digits = (signed && abs(hundredths) >= 10) || wholeTenths ? 0 : 1
        return String(format: signed ? "%+.\(digits)f%%" : "%.\(digits)f%%", hundredths)
    }

    /// A fraction of samples: "9.8%", "0.05%".
    static func fraction(_ value: Double) -> String {
        String(format: value < 0.001 && value > 0 ? "%.2f%%" : "%.1f%%", value * 100)
    }

    static func pText(_ p: Double) -> String {
        if p < 0.001 { return "p<0.001" }
        return String(format: p < 0.01 ? "p=%.3f" : "p=%.2f", p)
    }
}
