/// Text laid out in columns for a terminal.
enum Columns {
    /// Each cell padded to the widest cell of its column. A row of one cell is a note under
    /// the row before: it counts for no width and comes back as it is.
    static func pad(_ rows: [[String]]) -> [[String]] {
        let columns = rows.filter { $0.count > 1 }
        let widths = (0..<(columns.map(\.count).max() ?? 0)).map { column in columns.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.count == 1 ? row : row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
        }
    }

    /// Cells two spaces apart, without trailing spaces.
    static func line(_ cells: [String]) -> String {
        cells.joined(separator: "  ").trimmingTrailingSpaces
    }
}
