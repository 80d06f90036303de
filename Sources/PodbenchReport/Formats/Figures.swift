import Foundation
import PodbenchProbes

/// How reports write figures.
enum Figures {
    /// A latency as a duration (`41.2us`); any other unit as the number and the unit.
    static func format(_ value: Double, _ unit: String) -> String {
        unit == "ns" ? DurationText.format(nanoseconds: value) : "\(Int(value.rounded())) \(unit)"
    }

    static func format(_ value: UInt64, _ unit: String) -> String {
        format(Double(value), unit)
    }

    /// `+12.3%`, `-4.0%`.
    static func change(_ ratio: Double) -> String {
        (ratio >= 0 ? "+" : "") + String(format: "%.1f%%", ratio * 100)
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.2fs", value)
    }

    /// `2026-11-25 16:40:03Z` (UTC); JUnit's timestamps take `T` and no zone.
    static func time(_ date: Date, separator: String = " ", zone: String = "Z") -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday) + separator
            + String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec) + zone
    }

    /// The percentiles every table shows.
    static let percentiles: [(label: String, value: Double)] = [("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9)]
}
