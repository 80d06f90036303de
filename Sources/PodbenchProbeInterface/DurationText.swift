/// Durations written as text: `500us`, `250ms`, `2s`, `1m` (a bare number means seconds).
public enum DurationText {
    private static let units: [(suffix: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// The duration in nanoseconds, or nil when the text is not a non-negative duration.
    public static func nanoseconds(_ text: String) -> UInt64? {
        let trimmed = text.trimmingSpaces
        // Longest suffix first, so "ms" is not read as "m" + "s".
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where trimmed.hasSuffix(unit.suffix) {
            return scaled(String(trimmed.dropLast(unit.suffix.count)), unit.nanoseconds)
        }
        return scaled(trimmed, 1e9)
    }

    private static func scaled(_ number: String, _ factor: Double) -> UInt64? {
        guard let value = NumberText.decimal(Substring(number)), value * factor < 1e18 else { return nil }
        return UInt64((value * factor).rounded())
    }

    /// The exact form a scenario would write, in the largest unit up to seconds that keeps
    /// it whole: `30s`, `1500ms`, `20us`, `7ns`.
    public static func exact(nanoseconds ns: UInt64) -> String {
        for (suffix, unit) in [("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)] as [(String, UInt64)] where ns >= unit && ns % unit == 0 {
            return "\(ns / unit)\(suffix)"
        }
        return "\(ns)ns"
    }

    /// A short human form: `850ns`, `12.3us`, `4.56ms`, `1.20s`.
    public static func format(nanoseconds ns: Double) -> String {
        switch ns {
        case ..<1e3: return "\(Int(ns))ns"
        case ..<1e6: return fixed(ns / 1e3) + "us"
        case ..<1e9: return fixed(ns / 1e6) + "ms"
        default: return fixed(ns / 1e9) + "s"
        }
    }

    private static func fixed(_ value: Double) -> String {
        let digits = value < 10 ? 2 : (value < 100 ? 1 : 0)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = digits == 0 ? String(Int(rounded)) : String(rounded)
        // Pad to the fixed number of decimals (String(Double) drops trailing zeros).
        if digits > 0, let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            text += String(repeating: "0", count: max(0, digits - decimals))
        }
        return text
    }
}

extension String {
    public var trimmingSpaces: String {
        var view = Substring(self)
        while view.first == " " { view = view.dropFirst() }
        while view.last == " " { view = view.dropLast() }
        return String(view)
    }
}
