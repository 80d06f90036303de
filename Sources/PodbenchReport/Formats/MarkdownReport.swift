import Foundation
import PodbenchCore

/// Markdown for a CI job summary or a pull-request comment (GitHub and GitLab flavours).
public struct MarkdownReport: ReportFormat {
    public init() {}

    public func render(_ report: Report) -> String {
        guard !report.runs.isEmpty else { return "_podbench: no runs match._\n" }
        var text = report.runs.reversed().map { render($0, report) }.joined(separator: "\n")
        let inMatrix = report.matrix != nil
        for comparison in report.otherComparisons + (report.comparison.map { [$0] } ?? []) { text += "\n" + render(comparison, inMatrix: inMatrix) }
        return text
    }

    func render(_ run: RunReport, _ report: Report) -> String {
        let outcome = report.outcome(of: run)
        let mark = switch outcome {
        case .passed: "✅"
        case .failed, .regressed: "❌"
        case .warnings, .error, .interrupted, .running: "⚠️"
        }
        let warnings = report.warnings(of: run).text.map { " (\($0))" } ?? ""
        var lines = [
            "## \(mark) podbench run \(run.id): \(outcome.label)" + (outcome == .warnings || outcome == .regressed ? esc(warnings) : ""), "",
            "\(esc(run.run.runtime)) on \(esc(run.run.host)) · \(Figures.time(run.run.startedAt)) · \(run.count(.pass)) passed, \(run.count(.fail)) failed, \(run.count(.flaky)) flaky, \(run.count(.error)) errors · fingerprint `\(run.fingerprint.digest)`",
            "",
            "<details><summary>Environment</summary>", "",
            "| | |", "|---|---|",
        ]
        lines += run.fingerprint.fields.map { "| \(esc($0.label)) | \(esc($0.value)) |" }
        lines += ["", "</details>", "", "| Scenario | Status | Checks | Time |", "|---|---|---|---:|"]
        for scenario in run.scenarios {
            let passed = scenario.checks.filter { $0.outcome == .pass }.count
            lines.append("| \(esc(scenario.name)) | \(scenario.status.rawValue) | \(passed)/\(scenario.checks.count) | \(Figures.seconds(scenario.duration)) |")
        }
        let problems = run.scenarios.flatMap { scenario in
            (scenario.error.map { ["- **\(esc(scenario.name))**: error: \(esc($0))"] } ?? [])
                + scenario.checks.filter { $0.outcome == .fail || $0.outcome == .flaky }.map {
                    "- **\(esc(scenario.name))** \($0.level.rawValue) \(MarkdownText.code($0.name)) \($0.outcome.rawValue): \(esc($0.message))"
                }
        }
        if !problems.isEmpty { lines += ["", "### Problems", ""] + problems }
        let metrics = run.scenarios.flatMap(\.metrics)
        if !metrics.isEmpty {
            lines += ["", "### Latency", "", "| Scenario | Metric | Count | " + Figures.percentiles.map(\.label).joined(separator: " | ") + " | max |", "|---|---|---:|" + String(repeating: "---:|", count: Figures.percentiles.count + 1)]
            for metric in metrics {
                let figures = metric.withoutSamples.map { [esc($0)] + Array(repeating: "", count: Figures.percentiles.count) }
                    ?? (Figures.percentiles.map { Figures.format(metric.percentile($0.value), metric.unit) } + [Figures.format(metric.max, metric.unit)]).map(esc)
                lines.append("| \(esc(metric.scenario)) | \(esc(metric.label)) | \(metric.count) | " + figures.joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func render(_ comparison: Comparison, inMatrix: Bool = false) -> String {
        let heading = comparison.heading(inMatrix: inMatrix)
        var lines = ["### " + esc(heading.prefix(1).uppercased() + heading.dropFirst()), ""]
        if !comparison.fingerprintDifferences.isEmpty {
            lines += ["> **Different environment**: " + comparison.fingerprintDifferences.map(esc).joined(separator: "; "), ""]
        }
        for change in comparison.conformanceChanges {
            lines.append("- \(change.isNewFailure ? "❌" : "•") \(esc(change.scenario)) \(MarkdownText.code(change.check)): \(change.from?.rawValue ?? "absent") → \(change.to?.rawValue ?? "absent")")
        }
        let changed = comparison.metrics.filter { $0.judgement.map { $0.verdict != .unchanged } ?? false }
        if !changed.isEmpty {
            lines += ["", "| Metric | p50 | p99 | Verdict |", "|---|---:|---:|---|"]
            for metric in changed {
                guard let judgement = metric.judgement else { continue }
                lines.append("| \(esc(metric.key.label)) | \(Figures.change(judgement.p50Change)) | \(Figures.change(judgement.p99Change)) | \(judgement.verdict.rawValue) |")
            }
        }
        if comparison.conformanceChanges.isEmpty && changed.isEmpty { lines.append("No conformance change; every metric unchanged.") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func esc(_ text: String) -> String { MarkdownText.escape(text) }
}
