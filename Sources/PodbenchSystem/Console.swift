import Foundation

/// Where commands print: standard output (`StandardStreams`), with colour and redrawn lines only
/// on a terminal that takes escapes (not `TERM=dumb`), and colour never when NO_COLOR is set.
public struct Console: Sendable {
    /// Standard output is a terminal that takes escapes: lines may be redrawn.
    public let isTerminal: Bool
    public let colors: Bool

    public init(isTerminal: Bool = Console.takesEscapes(), environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.isTerminal = isTerminal
        colors = isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
    }

    /// Whether standard output is a terminal that takes escapes: `TERM=dumb` (an editor's
    /// shell, a CI log streamed through a pseudo-terminal) gets plain text.
    public static func takesEscapes(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
    }

    public func print(_ line: String) {
        StandardStreams.output(line + "\n")
    }

    /// A line that the next line replaces, on a terminal; elsewhere a plain line.
    public func transient(_ line: String) {
        if isTerminal {
            StandardStreams.output("\r\u{1B}[K" + line)
        } else {
            print(line)
        }
    }

    /// Clears the transient line, on a terminal.
    public func clearTransient() {
        if isTerminal { StandardStreams.output("\r\u{1B}[K") }
    }

    /// The terminal's width in columns: the terminal's own, else $COLUMNS, else 80.
    public static var width: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? 80
    }

    /// Replaces the transient line, if any, with `line`.
    public func replaceTransient(with line: String) {
        if isTerminal { StandardStreams.output("\r\u{1B}[K") }
        print(line)
    }

    /// Writes to standard error, with control characters made harmless.
    public func error(_ line: String) {
        StandardStreams.error(line.terminalSafe + "\n")
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
    public var misleads: Bool {
        let category = properties.generalCategory
        return category == .control || category == .format
    }
}
