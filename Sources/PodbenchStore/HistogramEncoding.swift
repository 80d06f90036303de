/// The stored form of a latency histogram: its recorded (value, count) pairs as LEB128
/// varints, each value as the difference from the one before. A run's histograms take a few
/// hundred bytes this way, where the histogram's Codable form holds its whole counts array
/// (tens of kilobytes, whatever was recorded). Written by hand because hdrhistogram-swift
/// has no compact encoding.
public enum HistogramEncoding {
    public static let version: UInt8 = 1

    public static func encode(_ pairs: [[UInt64]]) -> [UInt8] {
        var bytes: [UInt8] = [version]
        var previous: UInt64 = 0
        for pair in pairs where pair.count == 2 {
            append(pair[0] &- previous, to: &bytes)
            append(pair[1], to: &bytes)
            previous = pair[0]
        }
        return bytes
    }

    /// The pairs, or nil when the bytes are not an encoding of this version.
    public static func decode(_ bytes: [UInt8]) -> [[UInt64]]? {
        guard bytes.first == version else { return nil }
        var pairs: [[UInt64]] = []
        var index = 1
        var previous: UInt64 = 0
        while index < bytes.count {
            guard let delta = read(bytes, &index), let count = read(bytes, &index) else { return nil }
            previous &+= delta
            pairs.append([previous, count])
        }
        return pairs
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func read(_ bytes: [UInt8], _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
