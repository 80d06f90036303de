import Foundation
import Histogram

/// The recorded buckets of a histogram, ascending: each bucket's highest equivalent value and its count.
func recordedBuckets(_ histogram: Histogram<UInt64>) -> [(value: UInt64, count: Double)] {
    var buckets: [(value: UInt64, count: Double)] = []
    for bucket in histogram.recordedValues() where bucket.count > 0 {
        buckets.append((bucket.value, Double(bucket.count)))
    }
    return buckets
}

/// The median of `values`; NaN when there are none.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// Two-sided p-value of a standard normal z-score.
func twoSidedPValue(_ z: Double) -> Double {
    guard z.isFinite else { return z.isNaN ? 1 : 0 }
    return erfc(abs(z) / 2.0.squareRoot())
}

/// The Mann–Whitney U test of two HDR histograms, computed from their (value, count) buckets in
/// O(buckets), with samples in the same bucket counted as ties.
///
/// `a` is the Vargha–Delaney A statistic, the probability of superiority of NEW over BASE:
/// P(new > base) + ½ P(new = base). 0.5 is no shift; 1 means every NEW sample is larger than
/// every BASE sample, 0 that every one is smaller. By Vargha and Delaney's guide, |A − 0.5| of
/// 0.06, 0.14 and 0.21 are small, medium and large effects.
public struct MannWhitney: Sendable, Equatable {
    /// Sample counts of BASE and NEW.
    public var baseCount: Double
    public var newCount: Double
    /// U of NEW: the (base, new) pairs where NEW is larger, plus half the tied pairs.
    public var u: Double
    /// U / (n₁ n₂).
    public var a: Double
    /// Normal approximation, with tie-corrected variance and a continuity correction; positive when NEW is larger.
    public var z: Double
    /// Two-sided p-value of `z`.
    public var pValue: Double

    /// Nil when either histogram is empty.
    public init?(base: Histogram<UInt64>, new: Histogram<UInt64>) {
        self.init(base: recordedBuckets(base), new: recordedBuckets(new))
    }

    /// The test from ascending (value, count) buckets; nil when either side has no samples.
    init?(base: [(value: UInt64, count: Double)], new: [(value: UInt64, count: Double)]) {
        let n1 = base.reduce(0) { $0 + $1.count }
        let n2 = new.reduce(0) { $0 + $1.count }
        guard n1 > 0, n2 > 0 else { return nil }

        var u = 0.0
        var tieTerm = 0.0  // Σ (t³ − t) over groups of tied samples
        var baseBelow = 0.0
        var i = 0
        var j = 0
        while i < base.count || j < new.count {
            let value: UInt64
            if i < base.count, j < new.count {
                value = min(base[i].value, new[j].value)
            } else if i < base.count {
                value = base[i].value
            } else {
                value = new[j].value
            }
            var atBase = 0.0
            var atNew = 0.0
            if i < base.count, base[i].value == value {
                atBase = base[i].count
                i += 1
            }
            if j < new.count, new[j].value == value {
                atNew = new[j].count
                j += 1
            }
            u += atNew * (baseBelow + 0.5 * atBase)
            let tied = atBase + atNew
            tieTerm += tied * tied * tied - tied
            baseBelow += atBase
        }

        let total = n1 + n2
        let mean = n1 * n2 / 2
        let variance = total > 1 ? n1 * n2 / 12 * ((total + 1) - tieTerm / (total * (total - 1))) : 0
        var z = 0.0
        if variance > 0 {
            let difference = u - mean
            let corrected = max(abs(difference) - 0.5, 0)
            z = (difference < 0 ? -corrected : corrected) / variance.squareRoot()
        }
        baseCount = n1
        newCount = n2
        self.u = u
        a = u / (n1 * n2)
        self.z = z
        pValue = variance > 0 ? twoSidedPValue(z) : 1
    }
}

/// How often a candidate's samples lie above a reference's high percentile, against how often the
/// reference's own do: a test of a heavier upper tail that the median does not see.
///
/// The threshold is the reference's bucket at `percentile` (p99 by default); a sample counts as
/// above it when its whole bucket lies above. The reference's own fraction above (at most 1% for
/// p99, less when many samples share the p99 bucket) is the expected fraction. The two fractions
/// are compared with a two-proportion z-test, which also allows for the noise of the reference's
/// estimate of its percentile.
public struct TailExceedance: Sendable, Equatable {
    public var percentile: Double
    /// The highest value of the reference's bucket at `percentile`.
    public var threshold: UInt64
    /// Fraction of the reference's samples above `threshold`: the expected fraction.
    public var referenceFraction: Double
    /// Fraction of the candidate's samples above `threshold`.
    public var candidateFraction: Double
    /// candidateFraction / referenceFraction, the reference's fraction floored at half a sample.
    public var ratio: Double
    /// Positive when the candidate has more samples above the threshold.
    public var z: Double
    /// Two-sided p-value of `z`.
    public var pValue: Double

    /// Nil when either histogram is empty.
    public init?(reference: Histogram<UInt64>, candidate: Histogram<UInt64>, percentile: Double = 99) {
        guard reference.totalCount > 0, candidate.totalCount > 0 else { return nil }
        let threshold = reference.highestEquivalentForValue(reference.valueAtPercentile(percentile))
        let referenceAbove = Self.countAbove(threshold, in: reference)
        let candidateAbove = Self.countAbove(threshold, in: candidate)
        let n1 = Double(reference.totalCount)
        let n2 = Double(candidate.totalCount)
        let p1 = referenceAbove / n1
        let p2 = candidateAbove / n2
        let pooled = (referenceAbove + candidateAbove) / (n1 + n2)
        let standardError = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        let z = standardError > 0 ? (p2 - p1) / standardError : 0

        self.percentile = percentile
        self.threshold = threshold
        referenceFraction = p1
        candidateFraction = p2
        ratio = p2 / max(p1, 0.5 / n1)
        self.z = z
        pValue = standardError > 0 ? twoSidedPValue(z) : 1
    }

    /// Samples whose whole bucket lies above `threshold`.
    static func countAbove(_ threshold: UInt64, in histogram: Histogram<UInt64>) -> Double {
        var above = 0.0
        for bucket in histogram.recordedValues() where histogram.lowestEquivalentForValue(bucket.value) > threshold {
            above += Double(bucket.count)
        }
        return above
    }
}
