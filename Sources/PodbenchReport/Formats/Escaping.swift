import PodbenchSystem
/// Escaping for the text formats: every string from the database or a scenario file goes
/// through one of these before it is written.
public enum HTML {
    /// Text safe in HTML and XML content and in quoted attribute values.
    public static func escape(_ text: String) -> String {
        // Most strings (numbers, names) need nothing: return them as they are.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") })
        else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            // XML 1.0 allows no other C0 controls, not even as references.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": escaped += "\u{FFFD}"
            // Nor may a bidirectional override or an invisible character change what is read.
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default: escaped.unicodeScalars.append(scalar.misleads ? "\u{FFFD}" : scalar)
            }
        }
        return escaped
    }
}

public enum MarkdownText {
    /// Text safe in a GitHub/GitLab Markdown table cell: HTML-escaped (so no tag survives),
    /// Markdown punctuation backslash-escaped, pipes and newlines kept out of the table syntax.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~", "!": escaped += "\\\(character)"
            case "\n", "\r", "\r\n": escaped += " "
            default: escaped.append(character)
            }
        }
        return HTML.escape(escaped)
    }

    /// Text in monospace that reads exactly as it is: `escape(_:)` inside an HTML `<code>`
    /// element. A Markdown code span would show its backslash escapes and entities literally
    /// (CommonMark applies none inside one), while the text between inline HTML tags is
    /// Markdown like any other; no tag from the text survives, and it is safe in a table cell.
    public static func code(_ text: String) -> String {
        "<code>" + escape(text) + "</code>"
    }
}
