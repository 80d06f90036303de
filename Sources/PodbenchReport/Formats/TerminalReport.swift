import Foundation
import PodbenchCore
import PodbenchSystem

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
                // The first two failed checks, and how many more: a cell, not a list.
                let failed = cell.checks.filter { $0.outcome == .fail || $0.outcome == .flaky }.map(\.name)
                let named = failed.prefix(2).joined(separator: ", ") + (failed.count > 2 ? " +\(failed.count - 2)" : "")
                return cell.status.rawValue + (failed.isEmpty ? "" : " (" + named + ")")
            })
        }
        return Columns.pad(rows).enumerated().map { index, cells in
            let line = Columns.line(cells).terminalSafe
            return index == 0 ? console.paint(line, .bold) : line
        }.joined(separator: "\n")
    }

    /// A run: its header, its scenarios, checks and metrics, and its totals; `comparison` (its
    /// comparison with its reference) decides whether it passed with warnings. Within 120
    /// columns: a scenario and its checks are lines of their own, outside the columns; only the
    /// metrics are columns, under the container that reported them; a note (why there are no
    /// figures, why a placement differs) is said once, under the table, and its rows point to it.
    public func render(_ run: RunReport, comparison: Comparison? = nil) -> String {
        let outcome = run.outcome(against: comparison)
        var lines = [header(run, outcome)]
        var rows: [[String]] = [["SCENARIO · METRIC", "COUNT"] + Figures.percentiles.map { $0.label.uppercased() } + ["MAX"] + (run.floor == nil && !run.isCalibrated ? [] : ["VS HOST"])]
        var marks: [Int: Console.Color] = [:]
        var notes: [String] = []
        func mark(_ note: String) -> String {
            if let index = notes.firstIndex(of: note) { return "(\(index + 1))" }
            notes.append(note)
            return "(\(notes.count))"
        }
        for scenario in run.scenarios {
            let reps = scenario.repetitions > 1 ? " ×\(scenario.repetitions)" : ""
            rows.append([scenario.name + reps + "  " + scenario.status.rawValue + "  " + Figures.seconds(scenario.duration)])
            marks[rows.count - 1] = color(scenario.status)
            if let error = scenario.error {
                rows.append(["    " + error])
                marks[rows.count - 1] = .yellow
            }
            let shown = scenario.checks.filter { allChecks || $0.outcome != .pass }
            let unjudged = shown.filter { $0.outcome == .skip }
            for check in shown where check.outcome != .skip || unjudged.count == 1 {
                let times = check.reports > 1 && check.failures > 0 ? " (failed \(check.failures) of \(check.reports))" : ""
                let source = check.source.map { " (\($0))" } ?? ""
                let evidence = check.outcome == .pass ? "" : ": " + check.message + times
                rows.append(["  \(check.outcome.rawValue) \(check.level.rawValue) \(check.name)\(source)\(evidence)"])
                marks[rows.count - 1] = check.outcome == .pass ? .green : check.outcome == .skip ? .dim : check.outcome == .inconclusive ? .yellow : check.level == .must ? .red : .yellow
            }
            // Checks not judged are seldom news (gVisor has no namespace identities): one line.
            if unjudged.count > 1 {
                rows.append(["  skip \(unjudged.map(\.name).joined(separator: ", ")): " + Self.shared(unjudged.map(\.message))])
                marks[rows.count - 1] = .dim
            }
            var group: String?
            for metric in scenario.metrics {
                let reporter = metric.source.map { $0 + (metric.placement.map { " [\($0.placement.rawValue)]" } ?? "") }
                if let reporter, reporter != group {
                    rows.append(["  " + reporter])
                    marks[rows.count - 1] = .dim
                }
                group = reporter ?? group
                var name = (metric.source == nil ? "  " : "    ") + metric.name
                if let note = metric.placement?.note { name += " " + mark(note) }
                if let missing = metric.withoutSamples {
                    rows.append([name, "\(metric.count)", mark(missing)])
                } else {
                    let figures = Figures.percentiles.map { Figures.format(metric.percentile($0.value), metric.unit) }
                    let overhead = run.floor == nil && !run.isCalibrated ? [] : [metric.overhead.map(Figures.overhead) ?? run.floor?.overhead(of: metric).map(Figures.overhead) ?? ""]
                    rows.append([name, "\(metric.count)"] + figures + [Figures.format(metric.max, metric.unit)] + overhead)
                }
            }
        }
        lines += table(rows, marks: marks)
        lines += notes.enumerated().flatMap { Columns.wrap("(\($0.offset + 1)) \($0.element)".terminalSafe, indent: "    ").map { console.paint($0, .dim) } }
        lines.append("")
        if run.isCalibrated {
            lines.append(console.paint("VS HOST: the pod's overhead, each latency's p50 (with its 95% interval) and p99 over its host twin's, which took turns with it (run --calibrate; A-B-A: right before and after it)" + (run.floor.map { "; the others' over host run \($0.runId)'s" } ?? ""), .dim))
        } else if let floor = run.floor {
            lines.append(console.paint("VS HOST: each metric's p50 and p99 over host run \(floor.runId)'s (podbench run --runtime host), the pod's overhead", .dim))
        }
        lines.append(totals(run, outcome, run.warnings(against: comparison)))
        return lines.joined(separator: "\n")
    }

    /// What several messages say alike: their common beginning and ending, each to a word
    /// (`p/c has no … on kernel 4.4.0; the channels' own checks decide`); the first message
    /// when they share too little.
    public static func shared(_ messages: [String]) -> String {
        guard let first = messages.first.map(Array.init) else { return "" }
        var prefix = first.count, suffix = first.count
        for message in messages.dropFirst().map(Array.init) {
            prefix = zip(first.prefix(prefix), message).prefix { $0 == $1 }.count
            suffix = zip(first.suffix(suffix).reversed(), message.reversed()).prefix { $0 == $1 }.count
        }
        // Cut back to whole words.
        let head = first.prefix(prefix).lastIndex(of: " ").map { String(first[..<$0]) } ?? ""
        let tail = first.suffix(suffix).firstIndex(of: " ").map { String(first[$0...].dropFirst()) } ?? ""
        guard head.count + tail.count > 20, head.count + tail.count < first.count else { return String(first) }
        return head + " … " + tail
    }

    func header(_ run: RunReport, _ outcome: RunOutcome) -> String {
        var text = "podbench \(run.run.podbenchVersion) · run \(run.id) · \(Figures.time(run.run.startedAt)) · runtime \(run.run.runtime) · \(run.run.host) · \(outcome.label)"
        if let duration = run.run.duration { text += " · " + Figures.seconds(duration) }
        text = console.paint(text.terminalSafe, .bold)
        let fingerprint = run.fingerprint.fields.map { "\($0.label) \($0.value)" }.joined(separator: " · ")
        let wrapped = Columns.wrap("fingerprint \(run.fingerprint.digest): \(fingerprint)".terminalSafe, indent: "  ", separator: " · ")
        return text + "\n" + wrapped.map { console.paint($0, .dim) }.joined(separator: "\n")
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

    /// Columns padded to their widest cell. A row of one cell is a line of its own, outside
    /// the columns, in its mark's colour (else plain). Every cell (names, sources, units and
    /// messages come from scenario files and probes) is made terminal-safe before the colour
    /// goes on, or the safety would strip the colour's escape.
    func table(_ rows: [[String]], marks: [Int: Console.Color]) -> [String] {
        Columns.pad(rows.map { $0.map(\.terminalSafe) }).enumerated().flatMap { index, padded -> [String] in
            if index == 0 { return [console.paint(Columns.line(padded), .bold)] }
            guard padded.count == 1 else { return [console.paint(Columns.line(padded), .dim)] }
            // A line of its own within 120 columns, its continuation under its text.
            let indent = String(repeating: " ", count: padded[0].prefix { $0 == " " }.count + 4)
            return Columns.wrap(padded[0], indent: indent).map { line in marks[index].map { console.paint(line, $0) } ?? line }
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
