import Foundation

/// The report's first chart: every latency metric of a run with more than one sample, its p50
/// and p99 side by side on one logarithmic axis, grouped by channel family; beside each, the
/// run's reference (the baseline, else the previous run) as ghost marks, and the host floor
/// where a host run exists. A row is an HTML grid row: its label is text that wraps (never
/// cut off), its marks an SVG strip placed in percent of the strip's width, so that the chart
/// fits any width without distorting a mark.
struct OverviewChart {
    /// The families rows are grouped in, in the report's order.
    enum Family: String, CaseIterable {
        case volumes = "Volumes"
        case ipc = "IPC"
        case localhost = "Localhost and the pod network"
        case other = "Other"

        /// A scenario's family: by its tags, else (runs stored before tags were) its name.
        init(_ scenario: ScenarioReport) {
            let tags = Set(scenario.tags)
            let name = scenario.name
            if tags.contains("volume") || tags.contains("emptyDir") || name.hasPrefix("volume-") || name == "shared-volume" {
                self = .volumes
            } else if tags.contains("ipc") || name.hasPrefix("ipc-") {
                self = .ipc
            } else if tags.contains("network") || name.hasPrefix("localhost-") || name.hasPrefix("pod-to-pod-") || name == "abstract-socket" {
                self = .localhost
            } else {
                self = .other
            }
        }
    }

    /// One metric's marks, in ns.
    struct Row {
        var label: String
        var family: Family
        var p50: Double
        var p99: Double
        var reference: MetricSample?
        var host: MetricSample?
        /// The regression gate's verdict on it, when the reference judged it.
        var regressed: Bool
    }

    var rows: [Row]
    /// What the ghost marks are: "baseline run 3", "run 41".
    var referenceLabel: String?
    var hostLabel: String?

    /// The rows of `run`: its latency metrics with more than one sample and valid figures.
    init(_ run: RunReport, comparison: Comparison?) {
        let reference = Dictionary((comparison?.metrics ?? []).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        rows = run.scenarios.flatMap { scenario in
            scenario.metrics.compactMap { metric -> Row? in
                guard metric.unit == "ns", metric.withoutSamples == nil, metric.count > 1 else { return nil }
                let compared = reference[metric.key]
                return Row(
                    label: metric.key.label, family: Family(scenario), p50: Double(metric.percentile(50)), p99: Double(metric.percentile(99)),
                    reference: compared?.base.flatMap { $0.withoutSamples == nil ? MetricSample(p50: Double($0.percentile(50)), p99: Double($0.percentile(99))) : nil },
                    host: run.floor?.sample(under: metric), regressed: compared?.judgement?.verdict == .regressed)
            }
        }
        referenceLabel = comparison.map { $0.againstBaseline ? "baseline run \($0.base.id)" : "run \($0.base.id)" }
        hostLabel = run.floor.map { "host run \($0.runId)" }
    }

    /// The decades the axis spans, from the smallest figure's to the largest's.
    var decades: ClosedRange<Int> {
        let values: [Double] = rows.flatMap { (row: Row) -> [Double] in
            let others: [Double?] = [row.reference?.p50, row.reference?.p99, row.host?.p50, row.host?.p99]
            return [row.p50, row.p99] + others.compactMap { $0 }
        }.filter { $0 > 0 }
        guard let low = values.min(), let high = values.max() else { return 3...6 }
        let first = Int(log10(low).rounded(.down)), last = Int(log10(high).rounded(.up))
        return first...max(last, first + 1)
    }

    /// Where `value` (ns) sits on the axis, in percent of the strip.
    func position(_ value: Double) -> Double {
        let span = decades
        let fraction = (log10(max(value, 1)) - Double(span.lowerBound)) / Double(span.upperBound - span.lowerBound)
        return min(max(fraction, 0), 1) * 100
    }

    var html: String {
        guard !rows.isEmpty else { return "<p>No latency metric with more than one sample in this run.</p>\n" }
        var html = "<div class=\"overview\">" + legend
        html += "<div class=\"ov-row ov-axis\" aria-hidden=\"true\"><span></span>" + axis + "<span></span></div>\n"
        for family in Family.allCases {
            let members = rows.filter { $0.family == family }
            guard !members.isEmpty else { continue }
            html += "<h3>\(HTML.escape(family.rawValue))</h3>\n"
            for row in members { html += self.row(row) }
        }
        return html + "</div>\n"
    }

    private var legend: String {
        var html = "<p class=\"ov-legend\"><span class=\"ov-key p50\">●</span> p50 <span class=\"ov-key p99\">▮</span> p99"
        if let referenceLabel { html += " <span class=\"ov-key ghost\">○ ▯</span> \(HTML.escape(referenceLabel))" }
        if let hostLabel { html += " <span class=\"ov-key host\">┆</span> \(HTML.escape(hostLabel)) (the floor)" }
        return html + " · log scale</p>\n"
    }

    /// The axis' decade labels; the first and last anchored inside the strip.
    private var axis: String {
        let span = decades
        var svg = "<svg class=\"ov-strip\" width=\"100%\" height=\"18\">"
        for decade in span {
            let x = position(pow(10, Double(decade)))
            let anchor = decade == span.lowerBound ? "start" : decade == span.upperBound ? "end" : "middle"
            svg += "<text x=\"\(Self.percent(x))\" y=\"13\" text-anchor=\"\(anchor)\">\(HTML.escape(Figures.format(UInt64(pow(10, Double(decade))), "ns")))</text>"
        }
        return svg + "</svg>"
    }

    private func row(_ row: Row) -> String {
        let p50 = Figures.format(UInt64(row.p50), "ns"), p99 = Figures.format(UInt64(row.p99), "ns")
        var said = "p50 \(p50), p99 \(p99)"
        if let reference = row.reference { said += "; \(referenceLabel ?? "reference") p50 \(Figures.format(UInt64(reference.p50), "ns")), p99 \(Figures.format(UInt64(reference.p99), "ns"))" }
        if let host = row.host { said += "; \(hostLabel ?? "host") p50 \(Figures.format(UInt64(host.p50), "ns"))" }
        var svg = "<svg class=\"ov-strip\" width=\"100%\" height=\"30\" role=\"img\" aria-label=\"\(HTML.escape(row.label + ": " + said))\">"
        for decade in decades { svg += "<line class=\"ov-grid\" x1=\"\(Self.percent(position(pow(10, Double(decade)))))\" x2=\"\(Self.percent(position(pow(10, Double(decade)))))\" y1=\"0\" y2=\"30\"/>" }
        if let host = row.host {
            let x = Self.percent(position(host.p50))
            svg += "<line class=\"ov-host\" x1=\"\(x)\" x2=\"\(x)\" y1=\"2\" y2=\"28\"><title>\(HTML.escape("\(hostLabel ?? "host") p50 \(Figures.format(UInt64(host.p50), "ns"))"))</title></line>"
        }
        if let reference = row.reference { svg += marks(p50: reference.p50, p99: reference.p99, y: 22, ghost: true) }
        svg += marks(p50: row.p50, p99: row.p99, y: row.reference == nil ? 15 : 9, ghost: false)
        svg += "</svg>"
        return "<div class=\"ov-row\(row.regressed ? " regressed" : "")\"><span class=\"ov-label\">\(HTML.escape(row.label))</span>\(svg)<span class=\"ov-figures\">\(HTML.escape(p50)) · \(HTML.escape(p99))\(row.regressed ? " <b>regressed</b>" : "")</span></div>\n"
    }

    /// A p50 dot and a p99 bar joined by a line, at height `y`.
    private func marks(p50: Double, p99: Double, y: Int, ghost: Bool) -> String {
        let x50 = Self.percent(position(p50)), x99 = Self.percent(position(p99))
        let kind = ghost ? "ov-marks ghost" : "ov-marks"
        return "<g class=\"\(kind)\"><line class=\"ov-span\" x1=\"\(x50)\" x2=\"\(x99)\" y1=\"\(y)\" y2=\"\(y)\"/>"
            + "<line class=\"ov-p99\" x1=\"\(x99)\" x2=\"\(x99)\" y1=\"\(y - 6)\" y2=\"\(y + 6)\"/>"
            + "<circle class=\"ov-p50\" cx=\"\(x50)\" cy=\"\(y)\" r=\"5\"/></g>"
    }

    static func percent(_ value: Double) -> String {
        String(format: "%.2f%%", value)
    }

    static let css = """
        .overview h3{font-size:.95rem;margin:.9rem 0 .2rem;color:var(--muted)}
        .ov-legend{color:var(--muted);font-size:.85rem}.ov-key{font-weight:700}.ov-key.p50{color:var(--p50)}.ov-key.p99{color:var(--p99)}.ov-key.ghost{color:var(--muted)}.ov-key.host{color:var(--good)}
        .ov-row{display:grid;grid-template-columns:minmax(10rem,20rem) minmax(0,1fr) 9rem;gap:.2rem .8rem;align-items:center;border-bottom:1px solid var(--grid);break-inside:avoid}
        .ov-axis{border-bottom:none}.ov-label{overflow-wrap:anywhere;font-size:.85rem}.ov-figures{font-size:.8rem;color:var(--muted);font-variant-numeric:tabular-nums;text-align:right}
        .ov-row.regressed .ov-label,.ov-row.regressed b{color:var(--bad)}
        .ov-strip{display:block;overflow:visible}.ov-strip text{font-size:10px;fill:var(--muted)}.ov-grid{stroke:var(--grid);stroke-width:1}
        .ov-span{stroke:var(--muted);stroke-width:1.5}.ov-p99{stroke:var(--p99);stroke-width:4}.ov-p50{fill:var(--p50)}
        .ov-marks.ghost .ov-p99{stroke-width:2;opacity:.55}.ov-marks.ghost .ov-p50{fill:none;stroke:var(--p50);stroke-width:1.5;opacity:.55}.ov-marks.ghost .ov-span{opacity:.4}
        .ov-host{stroke:var(--good);stroke-width:2;stroke-dasharray:3 2}
        @media (max-width:700px){.ov-row{grid-template-columns:minmax(0,1fr) auto}.ov-row .ov-strip{grid-column:1/-1;grid-row:2}.ov-axis span{display:none}.ov-axis .ov-strip{grid-row:1}}
        """
}
