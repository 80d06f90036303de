/// Numbers as scenarios write them, one rule for all: plain decimals, digits with at most one
/// point between digits. No sign, exponent, `inf` or `nan`, which Swift's own parsers take
/// (`Double("1e2")`, `Int("+5")`); hexadecimal only where a parameter says so (IPC keys).
public enum NumberText {
    /// `25`, `2.5`; nil for anything else.
    public static func decimal(_ text: Substring) -> Double? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy(isDigits) else { return nil }
        return Double(text).flatMap { $0.isFinite ? $0 : nil }
    }

    /// `5201`; with `hexadecimal`, also `0x4d43`. nil for anything else, or out of Int's range.
    public static func integer(_ text: Substring, hexadecimal: Bool = false) -> Int? {
        if hexadecimal, text.lowercased().hasPrefix("0x") {
            let digits = text.dropFirst(2)
            guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else { return nil }
            return Int(digits, radix: 16)
        }
        return isDigits(text) ? Int(text) : nil
    }

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { ("0"..."9").contains($0) }
    }
}
