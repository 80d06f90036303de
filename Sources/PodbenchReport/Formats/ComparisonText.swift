import PodbenchSystem
/// `podbench compare` on a terminal: conformance changes first, then each metric's p50 and p99
/// change with its verdict, and its overhead over the host run under it where there is one.
public struct ComparisonText: Sendable {
    public var console: Console
    /// List unchanged metrics too.
    public var all: Bool

    public init(console: Console, all: Bool = false) {
        self.console = console
        self.all = all
    }

    public func render(_ comparison: Comparison) -> String {
        var lines = [console.paint("run \(comparison.base.id) → run \(comparison.new.id) (\(comparison.new.run.runtime) on \(comparison.new.run.host))".terminalSafe, .bold)]
        if !comparison.fingerprintDifferences.isEmpty {
            lines.append(console.paint("different environment, figures are not like for like:", .yellow))
            lines += comparison.fingerprintDifferences.map { "  " + $0.terminalSafe }
        }
        if !comparison.notRun.isEmpty {
            lines.append(console.paint(("not run in run \(comparison.new.id), not compared: " + comparison.notRun.joined(separator: ", ")).terminalSafe, .yellow))
        }
        if !comparison.notInBase.isEmpty {
            lines.append(console.paint(("not in run \(comparison.base.id), not compared: " + comparison.notInBase.joined(separator: ", ")).terminalSafe, .dim))
        }
        lines.append("")
        lines.append(console.paint("conformance", .bold))
        if comparison.conformanceChanges.isEmpty { lines.append("  no check changed its outcome") }
        for change in comparison.conformanceChanges {
            let mark = change.isNewFailure ? console.paint("✗", .red) : change.to == .pass ? console.paint("✓", .green) : "•"
            lines.append("  \(mark) \(change.scenario) \(change.check) (\(change.level.rawValue)): \(change.from?.rawValue ?? "absent") → \(change.to?.rawValue ?? "absent")".terminalSafe)
            if change.to != .pass { lines.append(console.paint("      " + change.message.terminalSafe, .dim)) }
        }
        lines.append("")
        lines.append(console.paint("metrics", .bold))
        var rows: [[String]] = []
        var hidden = 0
        for metric in comparison.metrics {
            guard let judgement = metric.judgement, let base = metric.base, let new = metric.new else {
                rows.append([metric.key.label, "", "", metric.base == nil ? "new" : "gone", ""])
                continue
            }
            if judgement.verdict == .unchanged && !all {
                hidden += 1
                continue
            }
            let p50 = "\(Figures.format(base.percentile(50), metric.unit)) → \(Figures.format(new.percentile(50), metric.unit)) \(Figures.change(judgement.p50Change))"
            let p99 = "\(Figures.format(base.percentile(99), metric.unit)) → \(Figures.format(new.percentile(99), metric.unit)) \(Figures.change(judgement.p99Change))"
            let host = comparison.new.floor.flatMap { floor in floor.overhead(of: new).map { " · vs host run \(floor.runId) " + Figures.overhead($0) } } ?? ""
            rows.append([metric.key.label, p50, p99, judgement.verdict.rawValue, judgement.reason + host])
        }
        // The reason trails each row, outside the columns; colour comes after the text is made
        // terminal-safe, or the safety would strip the colour's escape.
        for (row, padded) in zip(rows, Columns.pad(rows.map { $0.prefix(4).map(\.terminalSafe) })) {
            var cells = padded
            switch row[3] {
            case "regressed": cells[3] = console.paint(cells[3], .red)
            case "improved": cells[3] = console.paint(cells[3], .green)
            default: break
            }
            lines.append("  " + cells.joined(separator: "  ") + console.paint("  " + row[4].terminalSafe, .dim))
        }
        if hidden > 0 { lines.append(console.paint("  \(hidden) metric\(hidden == 1 ? "" : "s") unchanged (--all lists them)", .dim)) }
        lines.append("")
        let failures = comparison.newFailures.count, regressions = comparison.regressions.count
        lines.append("podbench: \(failures) new failure\(failures == 1 ? "" : "s"), \(regressions) regression\(regressions == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }
}
