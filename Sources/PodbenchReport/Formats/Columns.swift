/// Text laid out in columns for a terminal.
public enum Columns {
    /// Each cell padded to the widest cell of its column. A row of one cell is a note under
    /// the row before: it counts for no width and comes back as it is.
    static func pad(_ rows: [[String]]) -> [[String]] {
        let columns = rows.filter { $0.count > 1 }
        let widths = (0..<(columns.map(\.count).max() ?? 0)).map { column in columns.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.count == 1 ? row : row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
        }
    }

    /// `text` in lines of at most `width` characters, broken at `separator` (a space, or
    /// ` · ` between fields), each line after the first led by `indent`. A piece longer than a
    /// line keeps its own line.
    public static func wrap(_ text: String, width: Int = 120, indent: String, separator: String = " ") -> [String] {
        guard text.count > width else { return [text] }
        let lead = String(text.prefix { $0 == " " })
        var lines: [String] = []
        var line = lead
        for (index, piece) in text.dropFirst(lead.count).components(separatedBy: separator).enumerated() {
            if index == 0 {
                line += piece
            } else if line.count + separator.count + piece.count > width {
                lines.append(line)
                line = indent + piece
            } else {
                line += separator + piece
            }
        }
        lines.append(line)
        return lines
    }

    /// Cells two spaces apart, without trailing spaces.
    static func line(_ cells: [String]) -> String {
        cells.joined(separator: "  ").trimmingTrailingSpaces
    }
}
