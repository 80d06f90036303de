import Foundation

/// Where commands print: standard output, with colour only on a terminal and never when
/// NO_COLOR is set.
public struct Console: Sendable {
    public let isTerminal: Bool
    public let colors: Bool

    public init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.isTerminal = isTerminal
        colors = isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
    }

    public func print(_ line: String) {
        Swift.print(line)
        fflush(nil)
    }

    /// A line that the next line replaces, on a terminal; elsewhere a plain line.
    public func transient(_ line: String) {
        if isTerminal {
            FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + line).utf8))
        } else {
            print(line)
        }
    }

    /// Clears the transient line, on a terminal.
    public func clearTransient() {
        if isTerminal { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// The terminal's width in columns: the terminal's own, else $COLUMNS, else 80.
    public static var width: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 80
    }

    /// Replaces the transient line, if any, with `line`.
    public func replaceTransient(with line: String) {
        if isTerminal { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
        print(line)
    }

    /// Writes to standard error, with control characters made harmless.
    public func error(_ line: String) {
        FileHandle.standardError.write(Data((line.terminalSafe + "\n").utf8))
    }

    public enum Color: String {
        case red = "31", green = "32", yellow = "33", dim = "2", bold = "1"
    }

    public func paint(_ text: String, _ color: Color) -> String {
        colors ? "\u{1B}[\(color.rawValue)m\(text)\u{1B}[0m" : text
    }
}

extension String {
    /// The text with control characters (but newline and tab) replaced by U+FFFD, so that text
    /// from a scenario file or a probe cannot move the cursor, retitle the terminal or hide
    /// what follows it.
    public var terminalSafe: String {
        let hidden = { (scalar: Unicode.Scalar) in scalar.misleads && scalar != "\n" && scalar != "\t" }
        guard unicodeScalars.contains(where: hidden) else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { hidden($0) ? "\u{FFFD}" : $0 }))
    }
}

extension Unicode.Scalar {
    /// A control character, or a format character such as U+202E (right-to-left override) or
    /// U+200B (zero-width space), which would make a reader see text other than what is there:
    /// every output format shows it as U+FFFD.
    var misleads: Bool {
        let category = properties.generalCategory
        return category == .control || category == .format
    }
}
