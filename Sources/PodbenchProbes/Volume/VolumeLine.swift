import PodbenchProbeInterface

/// The line the volume writer appends and the reader checks:
/// `<seq> <monotonic ns> <UTC time> <fnv1a-32 of the three fields, hex>`, and a last line
/// `end <count>`. The UTC time is what the seed's `date >> index.html` wrote.
enum VolumeLine {
    static func make(sequence: Int, stamp: UInt64, utc: String) -> String {
        let body = "\(sequence) \(stamp) \(utc)"
        return body + " " + hex(fnv1a(body.utf8)) + "\n"
    }

    static func end(count: Int) -> String {
        "end \(count)\n"
    }

    enum Parsed: Equatable {
        case line(sequence: Int, stamp: UInt64)
        case end(count: Int)
        case corrupt
    }

    static func parse(_ line: Substring) -> Parsed {
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        if fields.count == 2, fields[0] == "end", let count = Int(fields[1]) { return .end(count: count) }
        guard fields.count == 4, let sequence = Int(fields[0]), let stamp = UInt64(fields[1]) else { return .corrupt }
        let body = line[line.startIndex..<fields[3].startIndex].dropLast()
        return hex(fnv1a(body.utf8)) == fields[3] ? .line(sequence: sequence, stamp: stamp) : .corrupt
    }

    static func fnv1a<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return hash
    }

    private static func hex(_ value: UInt32) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 8 - text.count) + text
    }
}

/// The current UTC time as `2026-11-25T13:55:04Z`.
func utcNow() -> String {
    var now = time(nil)
    var parts = tm()
    gmtime_r(&now, &parts)
    var buffer = [CChar](repeating: 0, count: 32)
    let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
    return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
