import Foundation
import Histogram
import PodbenchTestSupport
import Testing
@testable import PodbenchReport

// MARK: Synthetic runs

/// Latencies around 40 µs: a log-normal body and, for `tailProbability` of the samples, a slow
/// tail 2–7× the median. `scale` multiplies every sample (a run's jitter or a real change);
/// `tailScale` only the tail's.
private struct LatencyModel {
    var median = 40_000.0
    var bodySpread = 0.12
    var tailProbability = 0.03
    var scale = 1.0
    var tailScale = 1.0

    func sample(_ rng: inout SplitMix64) -> UInt64 {
        var value = median * exp(bodySpread * rng.normal())
        if rng.uniform() < tailProbability {
            value *= exp(0.7 + 0.4 * abs(rng.normal())) * tailScale
        }
        return UInt64(max(1, (value * scale).rounded()))
    }
}

/// The histogram configuration podbench records into (LatencyRecorder.emptyHistogram()).
private func emptyHistogram() -> Histogram<UInt64> {
    Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
}

private func histogram(of values: [UInt64]) -> Histogram<UInt64> {
    var histogram = emptyHistogram()
    for value in values { _ = histogram.record(max(value, 1)) }
    return histogram
}

/// One run of `samples` samples from `model`, as the sample the rule judges.
private func run(_ model: LatencyModel, samples: Int = 5_000, _ rng: inout SplitMix64) -> MetricSample {
    var histogram = emptyHistogram()
    for _ in 0..<samples { _ = histogram.record(model.sample(&rng)) }
    return MetricSample(histogram: histogram)
}

/// A run whose whole distribution is scaled by 1 ± `jitter` (uniform), as a noisy host does.
private func jitteredRun(_ jitter: Double, _ rng: inout SplitMix64, samples: Int = 5_000, change: Double = 1) -> MetricSample {
    var model = LatencyModel()
    model.scale = (1 + rng.jitter(jitter)) * change
    return run(model, samples: samples, &rng)
}

/// Earlier runs as history carries them: p50 and p99 only.
private func history(_ count: Int, jitter: Double, _ rng: inout SplitMix64) -> [MetricSample] {
    (0..<count).map { _ in
        let full = jitteredRun(jitter, &rng, samples: 2_000)
        return MetricSample(p50: full.p50, p99: full.p99)
    }
}

/// Mann–Whitney of two runs' histograms.
private func shiftTest(_ base: MetricSample, _ new: MetricSample) -> MannWhitney? {
    guard let base = base.histogram, let new = new.histogram else { return nil }
    return MannWhitney(base: base, new: new)
}

private func throughput(_ megabytesPerSecond: UInt64) -> MetricSample {
    MetricSample(histogram: histogram(of: [megabytesPerSecond]), higherIsBetter: true)
}

// MARK: The rule

extension CPUHeavyTests {
    @Suite struct RegressionRuleTests {
        let rule = RegressionRule()
        /// The rule with the bare tolerance, as it is once a history tells the noise: for the
        /// tests of one mechanism (tolerance, effect size) on a pair of runs.
        let bare = {
            var rule = RegressionRule()
            rule.unknownNoiseFactor = 1
            return rule
        }()

        @Test func noiseWithinToleranceIsUnchanged() {
            // NEW differs from BASE by up to ±8% (under the 10% tolerance); thousands of samples each,
            // so a bare significance test would call most of these shifts real.
            var significantShifts = 0
            for seed in 1...50 {
                var rng = SplitMix64(seed: UInt64(seed))
                let base = jitteredRun(0, &rng)
                let new = jitteredRun(0.08, &rng)
                let judgement = rule.judge(base: base, new: new, history: [])
                #expect(judgement.verdict == .unchanged, "seed \(seed): \(judgement.reason)")
                if let test = shiftTest(base, new), test.pValue < 0.001 {
                    significantShifts += 1
                }
            }
            #expect(significantShifts > 25, "the jitter should be large enough to be significant on its own")
        }

        @Test func noiseWithinHistorySpreadIsUnchanged() {
            // Every run, history included, is scaled by 1 ± 15%: pairs differ by up to 35%.
            var trippedWithoutHistory = 0, trippedByDefault = 0
            for seed in 1...50 {
                var rng = SplitMix64(seed: 1_000 + UInt64(seed))
                let earlier = history(12, jitter: 0.15, &rng)
                let base = jitteredRun(0.15, &rng)
                let new = jitteredRun(0.15, &rng)
                let judgement = rule.judge(base: base, new: new, history: earlier)
                #expect(judgement.verdict == .unchanged, "seed \(seed): \(judgement.reason)")
                if bare.judge(base: base, new: new, history: []).verdict != .unchanged { trippedWithoutHistory += 1 }
                if rule.judge(base: base, new: new, history: []).verdict != .unchanged { trippedByDefault += 1 }
            }
            // Control: the same pairs without their history trip the bare tolerance, so the
            // history is what holds it; and without one, the tripled tolerance mostly does.
            #expect(trippedWithoutHistory >= 10)
            #expect(trippedByDefault <= 2, "\(trippedByDefault) of 50")
        }

        /// Until a history tells the host's run-to-run noise, a change must exceed three times
        /// the tolerance: two runs in a row on a shared VM differ by 20-25% at times. A real 2x
        /// slowdown still counts.
        @Test func withoutAHistoryAChangeMustExceedThreeTimesTheTolerance() throws {
            var rng = SplitMix64(seed: 21)
            let base = run(LatencyModel(), &rng)
            let drift = run(LatencyModel(scale: 1.25), &rng)
            let judgement = rule.judge(base: base, new: drift, history: [])
            #expect(judgement.verdict == .unchanged, "\(judgement.reason)")
            #expect(judgement.reason.hasPrefix("p50 +2"), "\(judgement.reason)")
            #expect(judgement.reason.contains("within 30% tolerance (10% × 3: fewer than 5 earlier runs tell the noise)"), "\(judgement.reason)")
            #expect(bare.judge(base: base, new: drift, history: []).verdict == .regressed, "the bare tolerance would count it")
            // A quiet history of five runs: the tolerance is the scenario's again.
            let quiet = (0..<5).map { _ in run(LatencyModel(), samples: 1000, &rng) }
            #expect(rule.judge(base: base, new: drift, history: quiet).verdict == .regressed)
            #expect(rule.judge(base: base, new: run(LatencyModel(scale: 2), &rng), history: []).verdict == .regressed)
        }

        @Test func twofoldSlowdownRegresses() {
            for seed in 1...50 {
                var rng = SplitMix64(seed: 2_000 + UInt64(seed))
                let earlier = history(10, jitter: 0.08, &rng)
                let base = jitteredRun(0.08, &rng)
                let new = jitteredRun(0.08, &rng, change: 2)
                let judgement = rule.judge(base: base, new: new, history: [])
                #expect(judgement.verdict == .regressed, "seed \(seed): \(judgement.reason)")
                #expect(judgement.p50Change > 0.6)
                let withHistory = rule.judge(base: base, new: new, history: earlier)
                #expect(withHistory.verdict == .regressed, "seed \(seed): \(withHistory.reason)")
            }
        }

        @Test func twofoldSpeedupImproves() {
            for seed in 1...50 {
                var rng = SplitMix64(seed: 3_000 + UInt64(seed))
                let earlier = history(10, jitter: 0.08, &rng)
                let base = jitteredRun(0.08, &rng)
                let new = jitteredRun(0.08, &rng, change: 0.5)
                let judgement = rule.judge(base: base, new: new, history: earlier)
                #expect(judgement.verdict == .improved, "seed \(seed): \(judgement.reason)")
                #expect(judgement.p50Change < -0.3)
            }
        }

        @Test func reasonNamesPercentileToleranceAndTest() throws {
            var rng = SplitMix64(seed: 7)
            let base = run(LatencyModel(), &rng)
            let new = run(LatencyModel(scale: 2), &rng)
            let judgement = rule.judge(base: base, new: new, history: [])
            #expect(judgement.verdict == .regressed)
            let pattern = #/^p50 \+\d+% > 30% tolerance \(10% × 3: fewer than 5 earlier runs tell the noise\); distribution shift A=(0\.9\d|1\.00) \(p<0\.001\)/#
            #expect(try pattern.firstMatch(in: judgement.reason) != nil, "\(judgement.reason)")
            #expect(judgement.reason.contains("p99"), "the p99 regressed too: \(judgement.reason)")
        }

        @Test func tailOnlyRegressionIsCaughtAtP99() {
            for seed in 1...20 {
                var rng = SplitMix64(seed: 4_000 + UInt64(seed))
                let base = run(LatencyModel(), &rng)
                let new = run(LatencyModel(tailScale: 3), &rng)
                let judgement = rule.judge(base: base, new: new, history: [])
                #expect(abs(judgement.p50Change) < 0.05, "p50 stays put")
                #expect(judgement.p99Change > 1.5, "p99 about 3x")
                #expect(judgement.verdict == .regressed, "seed \(seed): \(judgement.reason)")
                #expect(judgement.reason.hasPrefix("p99 "), "\(judgement.reason)")
                #expect(judgement.reason.contains("tail:"), "\(judgement.reason)")
                #expect(!judgement.reason.contains("p50"), "\(judgement.reason)")
            }
        }

        @Test func p99OfAFewHundredSamplesIsNotJudged() {
            for seed in 1...20 {
                var rng = SplitMix64(seed: 4_500 + UInt64(seed))
                // Even a real 3x tail: with 500 samples the p99 rests on five of them.
                let base = run(LatencyModel(), samples: 500, &rng)
                let new = run(LatencyModel(tailScale: 3), samples: 500, &rng)
                let judgement = rule.judge(base: base, new: new, history: [])
                #expect(judgement.verdict == .unchanged, "seed \(seed): \(judgement.reason)")
                #expect(judgement.reason.contains("p99"), "\(judgement.reason)")
                #expect(judgement.reason.contains("not judged: n=500"), "\(judgement.reason)")
            }
        }

        @Test func changeWithinHistorySpreadIsUnchanged() {
            // Earlier p50s spread 30–50 µs around 40 µs; NEW is 20% over BASE, inside that spread.
            let earlierP50 = [32_000.0, 45_000, 38_000, 50_000, 41_000, 30_000, 47_000, 36_000, 43_000, 39_000]
            let earlier = earlierP50.map { MetricSample(p50: $0, p99: $0 * 3) }
            let base = MetricSample(p50: 40_000, p99: 120_000)
            let new = MetricSample(p50: 48_000, p99: 144_000)
            let judgement = rule.judge(base: base, new: new, history: earlier)
            #expect(judgement.verdict == .unchanged, "\(judgement.reason)")
            #expect(judgement.reason.contains("earlier runs"), "\(judgement.reason)")
            // Control: without the history, 20% over a bare 10% tolerance counts.
            #expect(bare.judge(base: base, new: new, history: []).verdict == .regressed)
            // And beyond the history's spread it counts again.
            let far = MetricSample(p50: 80_000, p99: 240_000)
            #expect(rule.judge(base: base, new: far, history: earlier).verdict == .regressed)
        }

        @Test func historyRangeHoldsWhenItsSpreadIsSmall() {
            // 19 tight runs and one as slow as NEW: the spread alone would let +29% count, but an
            // earlier run was slower still, so NEW is not beyond what this host has produced.
            let tight = (0..<19).map { 39_900 + Double($0 % 3) * 100 }
            let earlier = (tight + [52_000]).map { MetricSample(p50: $0, p99: $0 * 3) }
            let base = MetricSample(p50: 40_000, p99: 120_000)
            let new = MetricSample(p50: 51_500, p99: 154_500)
            let judgement = rule.judge(base: base, new: new, history: earlier)
            #expect(judgement.verdict == .unchanged, "\(judgement.reason)")
            #expect(judgement.reason.contains("but within the range of 20 earlier runs"), "\(judgement.reason)")
            // Control: beyond that slowest run, it counts.
            let beyond = rule.judge(base: base, new: MetricSample(p50: 56_000, p99: 168_000), history: earlier)
            #expect(beyond.verdict == .regressed, "\(beyond.reason)")
        }

        @Test func significantShiftBelowToleranceIsUnchanged() throws {
            // 200,000 samples a side from a narrow distribution, NEW 7% slower: overwhelmingly
            // significant and a large effect, yet under the 10% tolerance.
            var rng = SplitMix64(seed: 11)
            let narrow = LatencyModel(bodySpread: 0.03, tailProbability: 0)
            let base = run(narrow, samples: 200_000, &rng)
            let new = run(LatencyModel(bodySpread: 0.03, tailProbability: 0, scale: 1.07), samples: 200_000, &rng)
            let test = try #require(shiftTest(base, new))
            #expect(test.pValue < 1e-9)
            #expect(test.a > 0.64)
            let judgement = bare.judge(base: base, new: new, history: [])
            #expect(judgement.verdict == .unchanged, "\(judgement.reason)")
            #expect(judgement.reason.contains("within 10% tolerance"), "\(judgement.reason)")
            // Control: a scenario's 5% tolerance lets the same change count.
            var strict = bare
            strict.tolerance = 0.05
            #expect(strict.judge(base: base, new: new, history: []).verdict == .regressed)
        }

        @Test func smallEffectAboveToleranceIsUnchanged() throws {
            // A wide distribution shifted 12%: over the tolerance and highly significant with 100,000
            // samples, but the distributions overlap too much (A under 0.64) to call it a regression.
            var rng = SplitMix64(seed: 12)
            let base = run(LatencyModel(bodySpread: 0.5, tailProbability: 0), samples: 100_000, &rng)
            let new = run(LatencyModel(bodySpread: 0.5, tailProbability: 0, scale: 1.12), samples: 100_000, &rng)
            let test = try #require(shiftTest(base, new))
            #expect(test.pValue < 1e-9)
            #expect(test.a > 0.53 && test.a < 0.64)
            let judgement = bare.judge(base: base, new: new, history: [])
            #expect(judgement.p50Change > 0.10)
            #expect(judgement.verdict == .unchanged, "\(judgement.reason)")
            #expect(judgement.reason.contains("under 0.64"), "\(judgement.reason)")
        }

        @Test func scenarioToleranceOverridesDefault() {
            let base = MetricSample(p50: 40_000, p99: 100_000)
            let new = MetricSample(p50: 50_000, p99: 125_000)
            #expect(bare.judge(base: base, new: new, history: []).verdict == .regressed)
            var looser = bare
            looser.tolerance = 0.30
            let loose = looser.judge(base: base, new: new, history: [])
            #expect(loose.verdict == .unchanged)
            #expect(loose.reason.contains("within 30% tolerance"), "\(loose.reason)")
        }

        @Test func throughputIsHigherIsBetter() {
            // A steady throughput: six earlier runs within 2%.
            let steady = [1_990, 2_010, 1_985, 2_020, 2_000, 1_995].map { throughput($0) }
            let base = throughput(2_000)
            let halved = rule.judge(base: base, new: throughput(1_000), history: steady)
            #expect(halved.verdict == .regressed, "\(halved.reason)")
            #expect(halved.p50Change == -0.5)
            #expect(halved.reason.contains("no distribution test"), "\(halved.reason)")
            #expect(!halved.reason.contains("p99"), "one sample: p99 is p50, reported once: \(halved.reason)")
            #expect(rule.judge(base: base, new: throughput(1_940), history: steady).verdict == .unchanged)
            #expect(rule.judge(base: base, new: throughput(4_000), history: steady).verdict == .improved)
        }

        /// One sample says nothing of its own noise: without a history, no verdict either way.
        @Test func aSingleSampleWithoutHistoryIsNotJudged() {
            let halved = rule.judge(base: throughput(2_000), new: throughput(1_000), history: [])
            #expect(halved.verdict == .unchanged, "\(halved.reason)")
            #expect(halved.reason.contains("not judged"), "\(halved.reason)")
            let slowStart = rule.judge(base: MetricSample(histogram: histogram(of: [16_000_000])), new: MetricSample(histogram: histogram(of: [21_000_000])), history: [])
            #expect(slowStart.verdict == .unchanged, "a pod start 30% slower once: \(slowStart.reason)")
        }

        @Test func throughputUsesHistory() {
            // Throughput that has swung ±30% run to run: a 25% drop is within that.
            let earlier = [2_000, 1_500, 2_500, 1_700, 2_300, 1_450, 2_600].map { throughput($0) }
            let judgement = rule.judge(base: throughput(2_000), new: throughput(1_500), history: earlier)
            #expect(judgement.verdict == .unchanged, "\(judgement.reason)")
            let collapse = rule.judge(base: throughput(2_000), new: throughput(500), history: earlier)
            #expect(collapse.verdict == .regressed, "\(collapse.reason)")
        }

        @Test func fewSamplesSkipTheDistributionTest() {
            // 10 samples a side: tolerance and history decide.
            let base = MetricSample(histogram: histogram(of: (0..<10).map { 40_000 + UInt64($0) * 100 }))
            let new = MetricSample(histogram: histogram(of: (0..<10).map { 60_000 + UInt64($0) * 100 }))
            let steady = (0..<6).map { MetricSample(p50: 40_400 + Double($0) * 50, p99: 40_900 + Double($0) * 50) }
            let judgement = rule.judge(base: base, new: new, history: steady)
            #expect(judgement.verdict == .regressed)
            #expect(judgement.reason.contains("n=10: no distribution test"), "\(judgement.reason)")
            #expect(rule.judge(base: base, new: new, history: []).verdict == .unchanged, "no history: not judged")
        }
    }
}

// MARK: The statistics

extension CPUHeavyTests {
    @Suite struct HistogramStatisticsTests {
        @Test func identicalHistogramsHaveNoShift() throws {
            var rng = SplitMix64(seed: 21)
            let sample = run(LatencyModel(), &rng)
            let histogram = try #require(sample.histogram)
            let test = try #require(MannWhitney(base: histogram, new: histogram))
            #expect(abs(test.a - 0.5) < 1e-12)
            #expect(test.z == 0)
            #expect(test.pValue == 1)
        }

        @Test func separatedHistogramsHaveExtremeA() throws {
            let low = histogram(of: (0..<500).map { 10_000 + UInt64($0) * 20 })
            let high = histogram(of: (0..<300).map { 50_000 + UInt64($0) * 20 })
            let up = try #require(MannWhitney(base: low, new: high))
            #expect(up.a == 1.0)
            #expect(up.u == 500 * 300)
            #expect(up.z > 10)
            #expect(up.pValue < 1e-20)
            let down = try #require(MannWhitney(base: high, new: low))
            #expect(down.a == 0.0)
            #expect(down.z < -10)
        }

        @Test func emptyHistogramHasNoTest() {
            #expect(MannWhitney(base: emptyHistogram(), new: histogram(of: [1, 2, 3])) == nil)
            #expect(TailExceedance(reference: histogram(of: [1, 2, 3]), candidate: emptyHistogram()) == nil)
        }

        /// Against a brute-force computation over the expanded samples, with many ties: U by comparing
        /// every pair, z from the exact variance of average ranks.
        @Test(arguments: [31, 32, 33])
        func matchesBruteForce(seed: UInt64) throws {
            var rng = SplitMix64(seed: seed)
            // Values under 2,048 are exact in a three-digit histogram; the bigger ones share buckets.
            func draw() -> UInt64 {
                rng.uniform() < 0.7 ? 1 + rng.next() % 25 : 3_000 + rng.next() % 2_000
            }
            let base = (0..<37).map { _ in draw() }
            let new = (0..<45).map { _ in draw() + (rng.uniform() < 0.5 ? 2 : 0) }
            let baseHistogram = histogram(of: base)
            let newHistogram = histogram(of: new)
            // As the histogram sees them: each value at its bucket's highest equivalent.
            let baseValues = base.map { baseHistogram.highestEquivalentForValue($0) }
            let newValues = new.map { newHistogram.highestEquivalentForValue($0) }

            var u = 0.0
            for b in baseValues {
                for n in newValues {
                    if n > b { u += 1 } else if n == b { u += 0.5 }
                }
            }
            let all = (baseValues + newValues).sorted()
            func averageRank(_ value: UInt64) -> Double {
                let below = all.filter { $0 < value }.count
                let equal = all.filter { $0 == value }.count
                return Double(below) + (Double(equal) + 1) / 2
            }
            let n1 = Double(base.count)
            let n2 = Double(new.count)
            let total = n1 + n2
            let centre = (total + 1) / 2
            let rankSquares = all.reduce(0.0) { $0 + pow(averageRank($1) - centre, 2) }
            let variance = n1 * n2 / (total * (total - 1)) * rankSquares
            let difference = u - n1 * n2 / 2
            let expectedZ = (difference < 0 ? -1 : 1) * max(abs(difference) - 0.5, 0) / variance.squareRoot()

            let test = try #require(MannWhitney(base: baseHistogram, new: newHistogram))
            #expect(test.u == u)
            #expect(abs(test.a - u / (n1 * n2)) < 1e-12)
            #expect(abs(test.z - expectedZ) < 1e-9, "z \(test.z) against \(expectedZ)")
            #expect(abs(test.pValue - erfc(abs(expectedZ) / 2.0.squareRoot())) < 1e-9)
            // Swapping the sides mirrors A.
            let swapped = try #require(MannWhitney(base: newHistogram, new: baseHistogram))
            #expect(abs(swapped.a - (1 - test.a)) < 1e-12)
        }

        @Test func pValueOfKnownZ() {
            #expect(abs(twoSidedPValue(1.959964) - 0.05) < 1e-6)
            #expect(abs(twoSidedPValue(-2.575829) - 0.01) < 1e-6)
            #expect(twoSidedPValue(0) == 1)
        }

        @Test func tailExceedanceCountsAboveReferenceP99() throws {
            // Reference 1...1000 once each: p99 is 990, 1% above it. Candidate: 950 samples low, 50 above 990.
            let reference = histogram(of: (1...1_000).map { UInt64($0) })
            let candidate = histogram(of: Array(repeating: 500, count: 950) + Array(repeating: 995, count: 50))
            let test = try #require(TailExceedance(reference: reference, candidate: candidate))
            #expect(test.threshold == 990)
            #expect(test.referenceFraction == 0.01)
            #expect(test.candidateFraction == 0.05)
            #expect(abs(test.ratio - 5) < 1e-12)
            // Pooled 3%: z = 0.04 / sqrt(0.03 × 0.97 × 2/1000).
            #expect(abs(test.z - 0.04 / (0.03 * 0.97 * 0.002).squareRoot()) < 1e-9)
            #expect(test.pValue < 0.001)
            // The same distribution against itself: nothing beyond the expected.
            let same = try #require(TailExceedance(reference: reference, candidate: reference))
            #expect(same.ratio == 1)
            #expect(same.z == 0)
        }
    }
}
