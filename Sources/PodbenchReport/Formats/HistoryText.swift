import PodbenchStore

/// `podbench history`: a line per run (id, start, runtime, host, status, duration), the
/// baselines marked.
public struct HistoryText: Sendable {
    public var console: Console

    public init(console: Console) {
        self.console = console
    }

    public func render(_ runs: [RunRecord], baselines: Set<Int64>) -> String {
        guard !runs.isEmpty else { return "podbench: no runs match" }
        let rows = [["RUN", "STARTED", "RUNTIME", "HOST", "STATUS", "DURATION", ""]] + runs.map { run in
            let id = run.id ?? 0
            return ["\(id)", Figures.time(run.startedAt), run.runtime.terminalSafe, run.host.terminalSafe, run.status, run.duration.map(Figures.seconds) ?? "-", baselines.contains(id) ? "baseline" : ""]
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines: [String] = []
        lines.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            var cells = row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            if index > 0 {
                cells[4] = console.paint(cells[4], row[4] == "passed" ? .green : row[4] == "failed" ? .red : .yellow)
            }
            let line = cells.joined(separator: "  ").trimmingTrailingSpaces
            lines.append(index == 0 ? console.paint(line, .bold) : line)
        }
        return lines.joined(separator: "\n")
    }
}
