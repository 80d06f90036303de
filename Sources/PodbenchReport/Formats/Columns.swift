/// Text laid out in columns for a terminal.
public enum Columns {
    /// Each cell padded to the widest cell of its column. A row of one cell is a note under
    /// the row before: it counts for no width and comes back as it is.
    static func pad(_ rows: [[String]]) -> [[String]] {
        var widths: [Int] = []
        for row in rows where row.count > 1 {
            for (column, cell) in row.enumerated() {
                if column == widths.count { widths.append(0) }
                widths[column] = max(widths[column], cell.count)
            }
        }
        return rows.map { (row: [String]) -> [String] in
            guard row.count > 1 else { return row }
            return row.enumerated().map { (column: Int, cell: String) -> String in cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) }
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
