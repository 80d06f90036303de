import Histogram

/// Latency samples collected in a preallocated buffer: recording in a timed loop is one store,
/// with no allocation; the HDR histogram is built after the loop.
public struct LatencyRecorder: ~Copyable {
    private let samples: UnsafeMutableBufferPointer<UInt64>
    public private(set) var count = 0
    /// One-way samples whose arrival stamp was before their sending stamp: the two sides do
    /// not read one clock (see `recordOneWay`).
    public private(set) var backwards = 0

    public init(capacity: Int) {
        samples = .allocate(capacity: max(capacity, 1))
    }

    deinit {
        samples.deallocate()
    }

    /// Records one sample; samples beyond the capacity are dropped.
    @inline(__always)
    public mutating func record(_ nanoseconds: UInt64) {
        if count < samples.count {
            samples[count] = nanoseconds
            count += 1
        }
    }

    /// Records a one-way time between a stamp taken in another container and one taken here;
    /// an arrival before the sending is counted, not recorded.
    @inline(__always)
    public mutating func recordOneWay(sent: UInt64, arrived: UInt64) {
        if arrived < sent {
            backwards += 1
        } else {
            record(arrived &- sent)
        }
    }

    /// The histograms podbench records into: 1 ns to 1 h, three significant digits.
    public static func emptyHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
    }

    /// The samples as an HDR histogram.
    public func histogram() -> Histogram<UInt64> {
        var histogram = Self.emptyHistogram()
        for index in 0..<count {
            _ = histogram.record(Swift.max(samples[index], 1))
        }
        return histogram
    }

    /// The histogram's recorded (value, count) pairs, as a metric record carries them.
    public func recordedValues() -> [[UInt64]] {
        histogram().recordedPairs
    }
}

extension Histogram<UInt64> {
    /// The recorded (value, count) pairs: the compact form records and the store carry.
    public var recordedPairs: [[UInt64]] {
        recordedValues().map { [$0.value, UInt64($0.count)] }
    }
}
