import Foundation
import PodbenchCore

/// The terminal report: per run a header, a table of scenarios with their checks and latency
/// percentiles, and the totals; colour only when the console has it.
public struct TerminalReport: ReportFormat {
    public var console: Console
    /// Show passing checks too (`report`), or only the ones that did not pass (`run`'s summary).
    public var allChecks: Bool

    public init(console: Console, allChecks: Bool = true) {
        self.console = console
        self.allChecks = allChecks
    }

    public func render(_ report: Report) -> String {
        guard !report.runs.isEmpty else { return "podbench: no runs match; 'podbench history' lists the runs" }
        var sections = report.runs.map { render($0, comparison: report.comparison(of: $0)) }
        let inMatrix = report.matrix != nil
        for comparison in report.otherComparisons + (report.comparison.map { [$0] } ?? []) {
            sections.append(Self.gateLine(comparison, inMatrix: inMatrix))
        }
        return sections.joined(separator: "\n\n")
    }

    /// `against baseline run 3: 0 new failures, 2 regressions · 'podbench compare' for details`:
    /// the gate's verdict on a run, the same after `run` and in `report`.
    public static func gateLine(_ comparison: Comparison, inMatrix: Bool) -> String {
        let regressions = comparison.regressions.count, failures = comparison.newFailures.count
        var line = "\(comparison.heading(inMatrix: inMatrix)): " + Figures.count(failures, "new failure") + ", " + Figures.count(regressions, "regression")
        if !comparison.fingerprintDifferences.isEmpty { line += " (different environment)" }
        return line.terminalSafe + " · 'podbench compare' for details"
    }

    /// Scenario × runtime class: each cell the scenario's status there and its failed checks.
    public func render(_ matrix: RuntimeMatrix) -> String {
        var rows: [[String]] = [["SCENARIO"] + matrix.columns.map { "\($0.label) (run \($0.run.id))" }]
        for scenario in matrix.scenarios {
            rows.append([scenario] + matrix.columns.indices.map { column in
                guard let cell = matrix.cell(scenario, column) else { return "-" }
                let failed = cell.checks.filter { $0.outcome == .fail || $0.outcome == .flaky }.map(\.name)
                return cell.status.rawValue + (failed.isEmpty ? "" : " (" + failed.joined(separator: ", ") + ")")
            })
        }
        return Columns.pad(rows).enumerated().map { index, cells in
            let line = Columns.line(cells).terminalSafe
            return index == 0 ? console.paint(line, .bold) : line
        }.joined(separator: "\n")
    }

    /// A run: its header, its scenarios, checks and metrics, and its totals; `comparison` (its
    /// comparison with its reference) decides whether it passed with warnings.
    public func render(_ run: RunReport, comparison: Comparison? = nil) -> String {
        let outcome = run.outcome(against: comparison)
        var lines = [header(run, outcome)]
        var rows: [[String]] = [["SCENARIO", "STATUS", "LEVEL", "TIME", "COUNT"] + Figures.percentiles.map { $0.label.uppercased() } + ["MAX"] + (run.floor == nil ? [] : ["VS HOST"])]
        var marks: [Int: Console.Color] = [:]
        for scenario in run.scenarios {
            let reps = scenario.repetitions > 1 ? " ×\(scenario.repetitions)" : ""
            rows.append([scenario.name + reps, scenario.status.rawValue, "", Figures.seconds(scenario.duration), ""] + Array(repeating: "", count: Figures.percentiles.count + 1))
            marks[rows.count - 1] = color(scenario.status)
            if let error = scenario.error {
                rows.append(["    " + error])
            }
            for check in scenario.checks where allChecks || check.outcome != .pass {
                rows.append(["  " + check.name, check.outcome.rawValue, check.level.rawValue] + Array(repeating: "", count: rows[0].count - 3))
                if check.outcome != .pass {
                    marks[rows.count - 1] = check.outcome == .skip ? .dim : check.outcome == .inconclusive ? .yellow : check.level == .must ? .red : .yellow
                    let times = check.reports > 1 && check.failures > 0 ? " (failed \(check.failures) of \(check.reports))" : ""
                    rows.append(["    " + (check.source.map { "\($0): " } ?? "") + check.message + times])
                }
            }
            for metric in scenario.metrics {
                let name = "  " + metric.label
                if let missing = metric.withoutSamples {
                    rows.append([name, "", "", "", "0", missing])
                } else {
                    let figures = Figures.percentiles.map { Figures.format(metric.percentile($0.value), metric.unit) }
                    let overhead = run.floor.map { floor in [floor.overhead(of: metric).map(Figures.overhead) ?? ""] } ?? []
                    rows.append([name, "", "", "", "\(metric.count)"] + figures + [Figures.format(metric.max, metric.unit)] + overhead)
                }
                marks[rows.count - 1] = .dim
                if let note = metric.placement?.note {
                    rows.append(["    " + note])
                    marks[rows.count - 1] = .dim
                }
            }
        }
        lines += table(rows, marks: marks)
        lines.append("")
        if let floor = run.floor {
            lines.append(console.paint("VS HOST: each metric's p50 and p99 over host run \(floor.runId)'s (podbench run --runtime host), the pod's overhead", .dim))
        }
        lines.append(totals(run, outcome, run.warnings(against: comparison)))
        return lines.joined(separator: "\n")
    }

    func header(_ run: RunReport, _ outcome: RunOutcome) -> String {
        var text = "podbench \(run.run.podbenchVersion) · run \(run.id) · \(Figures.time(run.run.startedAt)) · runtime \(run.run.runtime) · \(run.run.host) · \(outcome.label)"
        if let duration = run.run.duration { text += " · " + Figures.seconds(duration) }
        text = console.paint(text.terminalSafe, .bold)
        let fingerprint = run.fingerprint.fields.map { "\($0.label) \($0.value)" }.joined(separator: " · ")
        return text + "\n" + console.paint("fingerprint \(run.fingerprint.digest): \(fingerprint)".terminalSafe, .dim)
    }

    /// `podbench: run 7 failed · 24 passed, 1 failed, 0 errors`; flaky and skipped scenarios
    /// when any; what the warnings or the regressions were.
    func totals(_ run: RunReport, _ outcome: RunOutcome, _ warnings: RunWarnings) -> String {
        var total = "\(run.count(.pass)) passed, \(run.count(.fail)) failed, " + Figures.count(run.count(.error), "error")
        if run.count(.flaky) > 0 { total += ", \(run.count(.flaky)) flaky" }
        if run.count(.skipped) > 0 { total += ", \(run.count(.skipped)) skipped" }
        let why = (outcome == .warnings || outcome == .regressed) ? warnings.text.map { " (\($0))" } ?? "" : ""
        return console.paint("podbench: run \(run.id) \(outcome.label)\(why)", outcome.passed ? .green : outcome == .error || outcome == .interrupted ? .yellow : .red) + " · \(total)"
    }

    func color(_ status: ScenarioReport.Status) -> Console.Color {
        switch status {
        case .pass: .green
        case .fail: .red
        case .flaky, .error: .yellow
        case .skipped: .dim
        }
    }

    /// Columns padded to their widest cell; a row's colour covers its status cell. A row of
    /// one cell is a note under the row before, outside the columns. Every cell (names, sources,
    /// units and messages come from scenario files and probes) is made terminal-safe before
    /// the colour goes on, or the safety would strip the colour's escape.
    func table(_ rows: [[String]], marks: [Int: Console.Color]) -> [String] {
        Columns.pad(rows.map { $0.map(\.terminalSafe) }).enumerated().map { index, padded in
            if padded.count == 1 { return console.paint(padded[0], .dim) }
            if index == 0 { return console.paint(Columns.line(padded), .bold) }
            var cells = padded
            if let color = marks[index], !rows[index][1].isEmpty { cells[1] = console.paint(cells[1], color) }
            return Columns.line(cells)
        }
    }
}

extension String {
    public var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
