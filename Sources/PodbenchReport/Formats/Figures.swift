import Foundation
import PodbenchProbeInterface

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

    /// A pod's overhead over the host: `×1.32 / ×1.10` (p50 / p99).
    static func overhead(_ ratios: (p50: Double, p99: Double)) -> String {
        String(format: "×%.2f / ×%.2f", ratios.p50, ratios.p99)
    }

    /// A pod's overhead over its host twin: `×1.12 [1.08, 1.17] / ×1.30` (p50 with its 95%
    /// interval / p99).
    static func overhead(_ overhead: (p50: Overhead, p99: Overhead)) -> String {
        overhead.p50.text + String(format: " / ×%.2f", overhead.p99.ratio)
    }

    /// `1 error`, `2 errors`.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.2fs", value)
    }

    /// `2026-11-25 16:40:03Z` (UTC, as podbench stamps runs); JUnit's timestamps take `T` and no
    /// zone; without `seconds`, `2026-11-25 16:40` (a trend's tooltip).
    static func time(_ date: Date, separator: String = " ", zone: String = "Z", seconds: Bool = true) -> String {
        var clock = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&clock, &parts)
        var out = String(Int(parts.tm_year) + 1900)
        out.reserveCapacity(24)
        for (text, value) in [("-", parts.tm_mon + 1), ("-", parts.tm_mday), (separator, parts.tm_hour), (":", parts.tm_min)] + (seconds ? [(":", parts.tm_sec)] : []) {
            out += text
            if value < 10 { out += "0" }
            out += String(value)
        }
        return out + (seconds ? zone : "")
    }

    /// The percentiles every table shows.
    static let percentiles: [(label: String, value: Double)] = [("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9)]
}
