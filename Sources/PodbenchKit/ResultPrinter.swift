import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchReport
import PodbenchSystem

/// The text a run prints: its header, a line per scenario, and the summary table.
struct ResultPrinter {
    let console: Console

    func header(runId: Int64, runtime: String, count: Int) -> String {
        console.paint("podbench \(Podbench.version) · run \(runId) · runtime \(runtime) · \(Podbench.hostName) · kernel \(Podbench.kernel) · \(count) scenario\(count == 1 ? "" : "s")", .bold)
    }

    /// Scenarios that run together, by name: the first three of more than four, and how many
    /// more; cut to `width` characters with an ellipsis.
    static func shown(_ names: [String], width: Int = .max) -> String {
        let text = names.count > 4 ? names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more" : names.joined(separator: ", ")
        return text.count <= max(width, 8) ? text : String(text.prefix(max(width, 8) - 1)) + "…"
    }

    func interrupted(_ name: String) -> String {
        "\(console.paint("STOP", .yellow))  \(name) interrupted; its result is not stored"
    }

    /// `PASS  name  1.23s  metric p50 … p99 …`, then one line per failed check.
    func line(for result: ScenarioResult, label: String) -> String {
        var text = "\(badge(result.status))  \(label)  \(String(format: "%.2fs", result.duration))"
        if let metric = result.metrics.first(where: { $0.source != nil && $0.count > 0 }) ?? result.metrics.first(where: { $0.count > 0 }) {
            text += console.paint("  \(metric.name) p50 \(format(metric.percentile(50), metric.unit)) p99 \(format(metric.percentile(99), metric.unit))", .dim)
        }
        if let error = result.error {
            text += "\n" + Columns.wrap("      " + error.terminalSafe, indent: "          ").map { console.paint($0, .yellow) }.joined(separator: "\n")
        }
        let unjudged = result.checks.filter { $0.outcome == .skip }
        for check in result.checks where !check.passed && (check.outcome != .skip || unjudged.count == 1) {
            let mark = check.outcome == .skip ? console.paint("-", .dim) : check.outcome == .inconclusive ? console.paint("?", .yellow)
                : check.level == .must ? console.paint("✗", .red) : console.paint("!", .yellow)
            let source = check.source.map { " (\($0))" } ?? ""
            text += "\n" + Self.wrapped("      \(mark) ", "\(check.level.rawValue) \(check.name)\(source): \(check.message)".terminalSafe)
        }
        // Checks not judged are seldom news (gVisor has no namespace identities): one line.
        if unjudged.count > 1 {
            text += "\n" + Self.wrapped("      \(console.paint("-", .dim)) ", "\(unjudged.map(\.name).joined(separator: ", ")): \(TerminalReport.shared(unjudged.map(\.message)))".terminalSafe)
        }
        return text
    }

    /// `lead` (a mark, maybe coloured) then `text`, within 120 columns as shown: the
    /// continuation lines under the text.
    static func wrapped(_ lead: String, _ text: String) -> String {
        let shown = 8  // "      ✗ "
        return Columns.wrap(String(repeating: " ", count: shown) + text, indent: String(repeating: " ", count: shown + 2))
            .enumerated().map { $0.offset == 0 ? lead + $0.element.dropFirst(shown) : $0.element }.joined(separator: "\n")
    }

    func badge(_ status: ScenarioResult.Status) -> String {
        switch status {
        case .pass: console.paint("PASS", .green)
        case .fail: console.paint("FAIL", .red)
        case .error: console.paint("ERROR", .yellow)
        case .skipped: console.paint("SKIP", .dim)
        }
    }

    /// A latency as a duration; any other unit as the number and the unit.
    private func format(_ value: UInt64, _ unit: String) -> String {
        unit == "ns" ? DurationText.format(nanoseconds: Double(value)) : "\(value) \(unit)"
    }
}

