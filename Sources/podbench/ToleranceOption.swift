import ArgumentParser

/// `--tolerance PCT` of `compare` and `run --fail-on-regression`: one range, one message.
enum ToleranceOption {
    static let range = 1.0...1000.0

    /// Throws the usage error when `percent` is given and out of range (call from `validate()`).
    static func validate(_ percent: PlainDecimal?) throws {
        if let percent = percent?.value, !range.contains(percent) {
            throw ValidationError("--tolerance must be a percentage from 1 to 1000: 25 lets a metric move 25% before it can count as regressed.")
        }
    }

    /// The tolerance as the fraction the regression rule takes (25 → 0.25).
    static func fraction(_ percent: PlainDecimal?) -> Double? {
        percent.map { $0.value / 100 }
    }
}
