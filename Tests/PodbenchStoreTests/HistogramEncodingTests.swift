import PodbenchCore
import PodbenchStore
import Testing

/// The compact stored form of a latency histogram.
@Suite struct HistogramEncodingTests {
    @Test func pairsSurviveARoundTrip() {
        let pairs: [[UInt64]] = [[1, 5], [130, 1], [1_000_000, 2], [3_600_000_000_000, 1]]
        #expect(HistogramEncoding.decode(HistogramEncoding.encode(pairs)) == pairs)
    }

    @Test func anUnknownVersionOrTruncatedDataIsRejected() {
        #expect(HistogramEncoding.decode([9, 1, 1]) == nil)
        #expect(HistogramEncoding.decode([HistogramEncoding.version, 0x80]) == nil)
    }

    @Test func aMetricsStoredFormIsCompact() {
        let metric = MetricResult(name: "m", unit: "ns", source: nil, values: (1...2000).map { [UInt64($0) * 997, 1] })
        #expect(HistogramEncoding.encode(metric.recordedValues).count < 8 * 2000)
    }
}
