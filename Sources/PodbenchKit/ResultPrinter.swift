import Foundation
import PodbenchCore
import PodbenchReport
import PodbenchProbes

/// The text a run prints: its header, a line per scenario, and the summary table.
struct ResultPrinter {
    let console: Console

    func header(runId: Int64, runtime: String, count: Int) -> String {
        console.paint("podbench \(Podbench.version) · run \(runId) · runtime \(runtime) · \(Podbench.hostName) · kernel \(Podbench.kernel) · \(count) scenario\(count == 1 ? "" : "s")", .bold)
    }

    func running(_ name: String, index: Int, of count: Int) -> String {
        "[\(index + 1)/\(count)] \(name) running…"
    }

    func interrupted(_ name: String) -> String {
        "\(console.paint("STOP", .yellow))  \(name) interrupted; its result is not stored"
    }

    /// `PASS  name  1.23s  metric p50 … p99 …`, then one line per failed check.
    func line(for result: ScenarioResult, label: String) -> String {
        var text = "\(badge(result.status))  \(label)  \(String(format: "%.2fs", result.duration))"
        if let metric = result.metrics.first {
            text += console.paint("  \(metric.name) p50 \(format(metric.percentile(50), metric.unit)) p99 \(format(metric.percentile(99), metric.unit))", .dim)
        }
        if let error = result.error {
            text += "\n      " + console.paint(error.terminalSafe, .yellow)
        }
        for check in result.checks where !check.passed {
            let mark = check.outcome == .skip ? console.paint("-", .dim) : check.level == .must ? console.paint("✗", .red) : console.paint("!", .yellow)
            let source = check.source.map { " (\($0))" } ?? ""
            text += "\n      \(mark) " + "\(check.level.rawValue) \(check.name)\(source): \(check.message)".terminalSafe
        }
        return text
    }

    func badge(_ status: ScenarioResult.Status) -> String {
        switch status {
        case .pass: console.paint("PASS", .green)
        case .fail: console.paint("FAIL", .red)
        case .error: console.paint("ERROR", .yellow)
        case .skipped: console.paint("SKIP", .dim)
        }
    }

    /// A table of every scenario's checks and latency percentiles, and the totals.
    func summary(_ results: [ScenarioResult], runId: Int64, interrupted: Bool) -> String {
        var rows: [[String]] = [["SCENARIO", "STATUS", "CHECKS", "TIME", "METRIC", "COUNT", "P50", "P90", "P99", "P99.9", "MAX"]]
        for result in results {
            let passed = result.checks.filter(\.passed).count
            let lead = [result.scenario, result.status.rawValue, "\(passed)/\(result.checks.count)", String(format: "%.2fs", result.duration)]
            if result.metrics.isEmpty {
                rows.append(lead + Array(repeating: "", count: 7))
            }
            for (index, metric) in result.metrics.enumerated() {
                let cells = [metric.name, "\(metric.count)"] + [50, 90, 99, 99.9].map { format(metric.percentile($0), metric.unit) } + [format(metric.max, metric.unit)]
                rows.append((index == 0 ? lead : Array(repeating: "", count: 4)) + cells)
            }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingTrailingSpaces
        }
        lines[0] = console.paint(lines[0], .bold)
        if results.isEmpty { lines.removeAll() }
        let counts = [ScenarioResult.Status.pass, .fail, .error].map { status in results.filter { $0.status == status }.count }
        let warnings = results.reduce(0) { $0 + $1.warnings.count }
        var total = "\(counts[0]) passed, \(counts[1]) failed, \(counts[2]) errors"
        if warnings > 0 { total += ", \(warnings) SHOULD warnings" }
        if interrupted { total += " (interrupted)" }
        if !lines.isEmpty { lines.append("") }
        lines.append("podbench: " + total + " · run \(runId)")
        return lines.joined(separator: "\n")
    }

    /// A latency as a duration; any other unit as the number and the unit.
    private func format(_ value: UInt64, _ unit: String) -> String {
        unit == "ns" ? DurationText.format(nanoseconds: Double(value)) : "\(value) \(unit)"
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
