import PodbenchCore
import PodbenchStore
import PodbenchSystem

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
            return ["\(id)", Figures.time(run.startedAt), run.runtime.terminalSafe, run.host.terminalSafe, run.status.rawValue, run.duration.map(Figures.seconds) ?? "-", baselines.contains(id) ? "baseline" : ""]
        }
        return Columns.pad(rows).enumerated().map { index, padded in
            if index == 0 { return console.paint(Columns.line(padded), .bold) }
            var cells = padded
            let status = runs[index - 1].status
            cells[4] = console.paint(cells[4], status == .passed ? .green : status == .failed ? .red : .yellow)
            return Columns.line(cells)
        }.joined(separator: "\n")
    }
}
