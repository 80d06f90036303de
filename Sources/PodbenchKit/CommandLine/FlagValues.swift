import Foundation
import PodbenchProbeInterface

/// How podbench reads the values of its flags, the same in every command.
public enum FlagValues {
    /// The names of a comma list (`runc,crun`), blanks dropped.
    public static func commaList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A number written as scenarios write numbers (`NumberText`): plain decimals, so that
    /// `0x10`, `1e2`, `+5`, `inf` and `nan`, which Double would take, are not numbers.
    public static func decimal(_ text: String) -> Double? {
        NumberText.decimal(Substring(text))
    }

    /// Whether `name` is a plain name (an OCI runtime's, a runtime handler's): ASCII letters,
    /// digits, '-', '_' and '.'.
    static func isPlainName(_ name: String) -> Bool {
        name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// Throws the usage error of `--tolerance PCT` (`compare`, `run --fail-on-regression`) when
    /// it is out of range.
    public static func validateTolerance(_ percent: Double?) throws(UsageError) {
        if let percent, !(1.0...1000.0).contains(percent) {
            throw UsageError("--tolerance must be a percentage from 1 to 1000: 25 lets a metric move 25% before it can count as regressed.")
        }
    }

    /// Throws the usage error of `--runtime-class NAME` unless it is a Kubernetes object name
    /// (DNS subdomain): at most 253 lowercase letters, digits, '-' and '.', starting and ending
    /// with a letter or digit.
    public static func validateRuntimeClass(_ name: String) throws(UsageError) {
        let edge: (Character) -> Bool = { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        guard (1...253).contains(name.count), name.allSatisfy({ edge($0) || $0 == "-" || $0 == "." }), edge(name.first!), edge(name.last!) else {
            throw UsageError("--runtime-class '\(name)' is not a RuntimeClass name: lowercase letters, digits, '-' and '.'.")
        }
    }
}

/// A flag given what it cannot take, or flags that do not go together: the command line says
/// it with the command's usage (status 2).
public struct UsageError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
