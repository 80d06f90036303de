import Foundation
import PodbenchCore

/// The HTML report: one self-contained file (inline CSS and SVG, no script, no network; a
/// Content-Security-Policy forbids both) that works offline, prints, and follows the reader's
/// light or dark mode. Every string from the database or a scenario file is escaped.
public struct HTMLReport: ReportFormat {
    public init() {}

    public func render(_ report: Report) -> String {
        var html = ""
        html.reserveCapacity(256 * 1024)
        let title = report.latest.map { "podbench run \($0.id): \(report.outcome(of: $0).label)" } ?? "podbench: no runs"
        html += """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
            <meta name="generator" content="\(e(report.generator))">
            <title>\(e(title))</title>
            <style>\(HTMLStyle.css)\(SVGChart.css)\(OverviewChart.css)</style></head><body>

            """
        guard let latest = report.latest else {
            return html + "<main><h1>podbench</h1><p>No runs match the selection; <code>podbench history</code> lists the runs.</p></main></body></html>\n"
        }
        let runtimes = report.matrix
        html += header(latest, report)
        html += "<nav><a href=\"#overview\">Overview</a> · " + (runtimes != nil ? "<a href=\"#runtimes\">Runtime classes</a> · " : "") + "<a href=\"#conformance\">Conformance</a>"
        if let comparison = report.comparison { html += " · <a href=\"#comparison\">Against \(comparison.againstBaseline ? "the baseline" : "the previous run")</a>" }
        html += " · <a href=\"#latency\">Latency</a>" + (latest.floor != nil || latest.isCalibrated ? " · <a href=\"#overhead\">Pod overhead</a>" : "") + " · <a href=\"#trends\">Trends</a>"
        if report.runs.count > 1 { html += " · <a href=\"#runs\">Runs</a>" }
        html += "</nav><main>\n"
        // At a glance first, then the verdicts, then the details.
        html += overview(latest, comparison: report.comparison)
        if latest.isCalibrated { html += calibratedOverhead(latest) }
        if let runtimes { html += runtimeMatrix(runtimes) }
        html += matrix(latest)
        for other in report.otherComparisons { html += comparison(other, id: "comparison-\(other.new.id)", inMatrix: true) }
        if let comparison = report.comparison { html += self.comparison(comparison, inMatrix: runtimes != nil) }
        html += latency(latest, comparison: report.comparison)
        if let floor = latest.floor, !latest.isCalibrated { html += overhead(latest, floor) }
        html += trends(report.trends, baseline: report.baselineId)
        if report.runs.count > 1 { html += runs(report) }
        html += "</main><footer>Made by \(e(report.generator)) at \(Figures.time(report.generatedAt)) from the results database; nothing was measured again.</footer>\n</body></html>\n"
        return html
    }

    func header(_ run: RunReport, _ report: Report) -> String {
        let outcome = report.outcome(of: run)
        var html = "<header><h1>podbench run \(run.id) <span class=\"badge \(outcomeClass(outcome))\">\(outcome.label)</span></h1>\n<dl class=\"facts\">"
        var facts: [(String, String)] = [
            ("started", Figures.time(run.run.startedAt)), ("runtime", run.run.runtime), ("host", run.run.host),
            ("kernel", run.fingerprint.kernel), ("podbench", run.run.podbenchVersion),
        ]
        if let duration = run.run.duration { facts.append(("duration", Figures.seconds(duration))) }
        if run.run.repetitions > 1 { facts.append(("repetitions", "\(run.run.repetitions)")) }
        facts.append(("fingerprint", run.fingerprint.digest))
        for (label, value) in facts { html += "<div><dt>\(e(label))</dt><dd>\(e(value))</dd></div>" }
        html += "</dl>\n<p class=\"counts\">"
        for status in ScenarioReport.Status.allCases {
            html += "<span class=\"count \(status.rawValue)\">\(run.count(status)) \(status.rawValue)</span> "
        }
        html += "scenarios · "
        for outcome in CheckSummary.Outcome.allCases {
            html += "<span class=\"count \(outcome.rawValue)\">\(run.checkCount(outcome)) \(outcome.rawValue)</span> "
        }
        html += "checks"
        // What made it pass with warnings, or fail the gate, counted where the verdict is read.
        let warnings = report.warnings(of: run)
        if warnings.checks > 0 { html += " · <span class=\"count warnings\">\(Figures.count(warnings.checks, "warning"))</span> (SHOULD/INFO checks that failed)" }
        if warnings.regressions > 0 { html += " · <span class=\"count regressed\">\(Figures.count(warnings.regressions, "regressed metric"))</span>" }
        html += "</p>\n<details><summary>Environment fingerprint</summary><table class=\"env\">"
        for field in run.fingerprint.fields { html += "<tr><th>\(e(field.label))</th><td>\(e(field.value))</td></tr>" }
        return html + "</table></details></header>\n"
    }

    /// Scenario × check, a cell per check coloured by outcome; failed cells carry the evidence.
    func matrix(_ run: RunReport) -> String {
        var html = "<section id=\"conformance\"><h2>Conformance</h2>\n<table class=\"matrix\"><thead><tr><th>Scenario</th><th>Status</th><th>Checks</th></tr></thead><tbody>\n"
        for scenario in run.scenarios {
            html += "<tr><th scope=\"row\">\(e(scenario.name))"
            if scenario.repetitions > 1 { html += " <small>×\(scenario.repetitions)</small>" }
            html += "<br><small>\(Figures.seconds(scenario.duration))</small></th><td><span class=\"badge \(scenario.status.rawValue)\">\(scenario.status.rawValue)</span></td><td class=\"cells\">"
            if let error = scenario.error { html += "<p class=\"error\">\(e(error))</p>" }
            for check in scenario.checks {
                html += "<div class=\"cell \(check.outcome.rawValue)\" title=\"\(e(check.message))\"><b>\(e(check.name))</b> <span class=\"level\">\(check.level.rawValue)</span> <span class=\"outcome\">\(check.outcome.rawValue)</span>"
                if check.outcome != .pass {
                    let times = check.reports > 1 && check.failures > 0 ? " (failed \(check.failures) of \(check.reports))" : ""
                    html += "<p>\(e((check.source.map { "\($0): " } ?? "") + check.message + times))</p>"
                }
                html += "</div>"
            }
            html += "</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    /// Scenario × runtime class, a coloured cell per scenario with the checks that failed there.
    func runtimeMatrix(_ matrix: RuntimeMatrix) -> String {
        var html = "<section id=\"runtimes\"><h2>Runtime classes</h2>\n<table class=\"matrix\"><thead><tr><th>Scenario</th>"
        for column in matrix.columns { html += "<th>\(e(column.label))<br><small>run \(column.run.id)</small></th>" }
        html += "</tr></thead><tbody>\n"
        for scenario in matrix.scenarios {
            html += "<tr><th scope=\"row\">\(e(scenario))</th>"
            for column in matrix.columns.indices {
                guard let cell = matrix.cell(scenario, column) else {
                    html += "<td>-</td>"
                    continue
                }
                html += "<td><span class=\"badge \(cell.status.rawValue)\">\(cell.status.rawValue)</span>"
                for check in cell.checks where check.outcome == .fail || check.outcome == .flaky || check.outcome == .inconclusive {
                    html += "<div class=\"cell \(check.outcome.rawValue)\" title=\"\(e(check.message))\"><b>\(e(check.name))</b> <span class=\"level\">\(check.level.rawValue)</span></div>"
                }
                if let error = cell.error { html += "<p class=\"error\">\(e(error))</p>" }
                html += "</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    /// Each metric of a pod run beside the host run's: the pod's overhead at p50 and p99.
    func overhead(_ run: RunReport, _ floor: HostFloor) -> String {
        var html = "<section id=\"overhead\"><h2>Pod overhead</h2>\n<p>Each metric against host run \(floor.runId): the same probes as plain processes on this machine (<code>podbench run --runtime host</code>), the floor under the pod.</p>\n"
        html += "<table class=\"overhead\"><thead><tr><th>metric</th><th>pod p50</th><th>host p50</th><th>×</th><th>pod p99</th><th>host p99</th><th>×</th></tr></thead><tbody>"
        for metric in run.scenarios.flatMap(\.metrics) {
            guard let host = floor.sample(under: metric), let ratio = floor.overhead(of: metric) else { continue }
            html += "<tr><td>\(e(metric.key.label))</td>"
            html += "<td>\(e(Figures.format(metric.percentile(50), metric.unit)))</td><td>\(e(Figures.format(host.p50, metric.unit)))</td><td>\(String(format: "%.2f", ratio.p50))</td>"
            html += "<td>\(e(Figures.format(metric.percentile(99), metric.unit)))</td><td>\(e(Figures.format(host.p99, metric.unit)))</td><td>\(String(format: "%.2f", ratio.p99))</td></tr>"
        }
        return html + "</tbody></table></section>\n"
    }

    /// Each latency of a calibrated run beside its host twin, which took turns with it or ran
    /// right before and after it: the pod's overhead at p50 and p99, each with its 95% interval.
    func calibratedOverhead(_ run: RunReport) -> String {
        var html = "<section id=\"overhead\"><h2>Pod overhead</h2>\n<p>Each latency between containers against its host twin: the same probes as plain processes on this machine, taking turns with it every millisecond in this run (<code>podbench run --calibrate</code>; where its probes cannot take turns, right before and right after it: marked A-B-A), so that both saw the machine at one moment. The interval (95%) is the samples' spread, and spans both twins of an A-B-A.</p>\n"
        html += "<table class=\"overhead\"><thead><tr><th>metric</th><th>pod p50</th><th>host p50</th><th>× p50</th><th>pod p99</th><th>host p99</th><th>× p99</th></tr></thead><tbody>"
        for metric in run.scenarios.flatMap(\.metrics) {
            guard let floor = metric.floor?.merged, let overhead = metric.overhead else { continue }
            html += "<tr><td>\(e(metric.key.label))\(metric.floor?.tookTurns == false ? " <small>A-B-A</small>" : "")</td>"
            html += "<td>\(e(Figures.format(metric.percentile(50), metric.unit)))</td><td>\(e(Figures.format(floor.valueAtPercentile(50), metric.unit)))</td><td>\(e(overhead.p50.text))</td>"
            html += "<td>\(e(Figures.format(metric.percentile(99), metric.unit)))</td><td>\(e(Figures.format(floor.valueAtPercentile(99), metric.unit)))</td><td>\(e(overhead.p99.text))</td></tr>"
        }
        return html + "</tbody></table></section>\n"
    }

    /// Every latency metric's p50 and p99 on one axis, by family, beside the reference and the
    /// host floor (`OverviewChart`).
    func overview(_ run: RunReport, comparison: Comparison?) -> String {
        "<section id=\"overview\"><h2>Overview</h2>\n" + OverviewChart(run, comparison: comparison).html + "</section>\n"
    }

    /// The metrics in detail: those of one sample (a pod's start, a bulk transfer) in a compact
    /// table with their reference and host figures, then per family, folded, each latency's
    /// percentile distribution beside its table.
    func latency(_ run: RunReport, comparison: Comparison?) -> String {
        var html = "<section id=\"latency\"><h2>Latency</h2>\n"
        let metrics = run.scenarios.flatMap { scenario in scenario.metrics.map { (family: OverviewChart.Family(scenario), metric: $0) } }
        if metrics.isEmpty { html += "<p>No metrics in this run.</p>" }
        let single = metrics.map(\.metric).filter { $0.count == 1 && $0.withoutSamples == nil }
        if !single.isEmpty {
            let reference = Dictionary((comparison?.metrics ?? []).compactMap { compared in compared.base.map { (compared.key, $0) } }, uniquingKeysWith: { first, _ in first })
            let referenceLabel = comparison.map { $0.againstBaseline ? "baseline run \($0.base.id)" : "run \($0.base.id)" }
            html += "<h3>Single-sample figures</h3>\n<table class=\"single\"><thead><tr><th>metric</th><th>value</th>"
            if let referenceLabel { html += "<th>\(e(referenceLabel))</th>" }
            if let floor = run.floor { html += "<th>host run \(floor.runId)</th>" }
            html += "</tr></thead><tbody>"
            for metric in single {
                html += "<tr><td>\(e(metric.key.label))</td><td>\(e(Figures.format(metric.percentile(50), metric.unit)))</td>"
                if referenceLabel != nil { html += "<td>\(reference[metric.key].map { e(Figures.format($0.percentile(50), $0.unit)) } ?? "")</td>" }
                if let floor = run.floor { html += "<td>\(floor.sample(under: metric).map { e(Figures.format($0.p50, metric.unit)) } ?? "")</td>" }
                html += "</tr>"
            }
            html += "</tbody></table>\n"
        }
        for family in OverviewChart.Family.allCases {
            let members = metrics.filter { $0.family == family && !($0.metric.count == 1 && $0.metric.withoutSamples == nil) }.map(\.metric)
            guard !members.isEmpty else { continue }
            html += "<details class=\"family\"><summary>\(e(family.rawValue)) · \(members.count) metric\(members.count == 1 ? "" : "s")</summary>\n"
            for metric in members { html += figure(metric) }
            html += "</details>\n"
        }
        return html + "</section>\n"
    }

    /// One metric: its title, its percentile distribution (a latency) and its figures.
    func figure(_ metric: MetricReport) -> String {
        let label = metric.key.label
        var html = "<figure class=\"metric\"><figcaption>\(e(label))</figcaption>"
        if let missing = metric.withoutSamples { return html + "<p class=\"no-samples\">\(e(missing))</p></figure>\n" }
        html += "<div class=\"chart\">" + (metric.unit == "ns" ? SVGChart.percentileDistribution(SVGChart.percentilePoints(metric.histogram), unit: metric.unit, title: label) : "") + "</div>"
        html += "<table class=\"figures\"><tr><th>count</th><td>\(metric.count)</td></tr><tr><th>min</th><td>\(e(Figures.format(metric.min, metric.unit)))</td></tr>"
        for percentile in Figures.percentiles {
            html += "<tr><th>\(percentile.label)</th><td>\(e(Figures.format(metric.percentile(percentile.value), metric.unit)))</td></tr>"
        }
        html += "<tr><th>max</th><td>\(e(Figures.format(metric.max, metric.unit)))</td></tr>"
        if let placement = metric.placement {
            html += "<tr><th>CPUs</th><td>\(e(placement.summary + (placement.note.map { "; \($0)" } ?? "")))</td></tr>"
        }
        return html + "</table></figure>\n"
    }

    /// The comparison with the reference: conformance changes first, then the metrics that
    /// changed. In a runtime-class matrix the heading names the run; the newest run's section
    /// is the one the navigation links to.
    func comparison(_ comparison: Comparison, id: String = "comparison", inMatrix: Bool = false) -> String {
        let heading = comparison.heading(inMatrix: inMatrix)
        var html = "<section id=\"\(id)\"><h2>\(e(heading.prefix(1).uppercased() + heading.dropFirst()))</h2>\n"
        if !comparison.againstBaseline { html += "<p>No baseline older than this run is set (<code>podbench baseline set RUN</code>): the run before it with the same fingerprint is the reference, as for the regression gate.</p>" }
        if !comparison.fingerprintDifferences.isEmpty {
            html += "<p class=\"warning\">Different environment: figures are not like for like.</p><ul>"
            for difference in comparison.fingerprintDifferences { html += "<li>\(e(difference))</li>" }
            html += "</ul>"
        }
        if comparison.conformanceChanges.isEmpty {
            html += "<p>No check changed its outcome.</p>"
        } else {
            html += "<table class=\"changes\"><tr><th>Scenario</th><th>Check</th><th>Level</th><th>Was</th><th>Now</th><th>Evidence</th></tr>"
            for change in comparison.conformanceChanges {
                html += "<tr class=\"\(change.isNewFailure ? "fail" : "")\"><td>\(e(change.scenario))</td><td>\(e(change.check))</td><td>\(change.level.rawValue)</td><td>\(change.from?.rawValue ?? "absent")</td><td>\(change.to?.rawValue ?? "absent")</td><td>\(e(change.message))</td></tr>"
            }
            html += "</table>"
        }
        // Changed metrics in view, worst first; the unchanged folded away.
        let judged = comparison.metrics.filter { $0.judgement != nil }
        let order: [MetricJudgement.Verdict] = [.regressed, .improved]
        let changed = order.flatMap { verdict in judged.filter { $0.judgement?.verdict == verdict } }
        let unchanged = judged.filter { $0.judgement?.verdict == .unchanged }
        html += "<p>\(changed.filter { $0.judgement?.verdict == .regressed }.count) of \(judged.count) metrics regressed, \(changed.filter { $0.judgement?.verdict == .improved }.count) improved (rule: docs/regression-gate.md).</p>"
        if !changed.isEmpty { html += metricTable(changed) }
        if !unchanged.isEmpty { html += "<details><summary>\(unchanged.count) unchanged metrics</summary>" + metricTable(unchanged) + "</details>" }
        return html + "</section>\n"
    }

    func metricTable(_ metrics: [MetricComparison]) -> String {
        var html = "<table class=\"changes\"><tr><th>Metric</th><th>p50</th><th>p99</th><th>Verdict</th><th>Why</th></tr>"
        for metric in metrics {
            guard let judgement = metric.judgement else { continue }
            html += "<tr class=\"\(judgement.verdict.rawValue)\"><td>\(e(metric.key.label))</td><td>\(Figures.change(judgement.p50Change))</td><td>\(Figures.change(judgement.p99Change))</td><td>\(judgement.verdict.rawValue)</td><td>\(e(judgement.reason))</td></tr>"
        }
        return html + "</table>"
    }

    func trends(_ trends: [MetricTrend], baseline: Int64?) -> String {
        var html = "<section id=\"trends\"><h2>Trends</h2>\n"
        guard trends.contains(where: { $0.points.count > 1 }) else {
            return html + "<p>Trends need more than one run of this runtime on this host.</p></section>\n"
        }
        let shown = baseline.map { id in trends.contains { $0.points.contains { $0.runId == id } } } ?? false
        html += "<p>p50 and p99 over the last runs of this runtime on this host"
            + (baseline.map { "; the baseline is run \($0)" + (shown ? "" : ", outside these runs") } ?? "; no baseline is set (<code>podbench baseline set RUN</code>)")
            + ". Regressed runs are marked: each held against the baseline when it is older, else the run before it with the same fingerprint, as the regression gate holds them.</p>\n<div class=\"trends\">"
        for trend in trends {
            let regressed = trend.points.last?.regressed == true
            html += "<figure class=\"trend\(regressed ? " regressed" : "")\"><figcaption>\(e(trend.key.label))\(regressed ? " <span class=\"badge fail\">regressed</span>" : "")</figcaption>"
            html += SVGChart.trend(trend.points, unit: trend.unit, title: trend.key.label) + "</figure>\n"
        }
        return html + "</div></section>\n"
    }

    func runs(_ report: Report) -> String {
        var html = "<section id=\"runs\"><h2>Selected runs</h2><table><tr><th>Run</th><th>Started</th><th>Runtime</th><th>Host</th><th>Status</th><th>Scenarios</th></tr>"
        for run in report.runs.reversed() {
            html += "<tr><td>\(run.id)</td><td>\(Figures.time(run.run.startedAt))</td><td>\(e(run.run.runtime))</td><td>\(e(run.run.host))</td><td><span class=\"badge \(outcomeClass(report.outcome(of: run)))\">\(report.outcome(of: run).label)</span></td><td>\(run.count(.pass)) passed, \(run.count(.fail)) failed, \(run.count(.flaky)) flaky, \(run.count(.error)) errors</td></tr>"
        }
        return html + "</table></section>\n"
    }

    /// The class of a run's outcome: its colour.
    private func outcomeClass(_ outcome: RunOutcome) -> String {
        switch outcome {
        case .passed: "pass"
        case .warnings: "warnings"
        case .failed, .regressed: "fail"
        case .error, .interrupted, .running: "error"
        }
    }

    private func e(_ text: String) -> String { HTML.escape(text) }
}
