import Foundation

/// The trend chart: one metric's p50 and p99 over the last runs.
///
/// x: the runs in the order given (oldest → newest), evenly spaced, labelled by run id (at most
/// about 8 labels, the newest always). y: linear from 0, or log when the values span more than a
/// decade (max / smallest positive > 10). Each run is a `<g class="pt">` holding an SVG `<title>`
/// tooltip and its two markers; a regressed run's group also has class `bad` and bigger markers.
/// The baseline run gets a dashed vertical line and one "baseline" label. A value that is not a
/// finite number ≥ 0 leaves a gap in its line and no marker.
extension SVGChart {
    /// Inner margin of the trend's x axis, so the first and last markers clear the axes.
    static let trendPadding = 10.0
    static let trendMaxLabels = 8

    /// A trend chart of `points` (oldest first), values in `unit`; dates in the tooltips in UTC,
    /// as podbench stamps runs.
    static func trend(_ points: [TrendPoint], unit: String, title: String) -> String {
        guard !points.isEmpty else { return noData(title: title) }
        var maxValue = 0.0
        var minPositive = Double.infinity
        for point in points {
            if isPlottable(point.p50) {
                maxValue = Swift.max(maxValue, point.p50)
                if point.p50 > 0 { minPositive = Swift.min(minPositive, point.p50) }
            }
            if isPlottable(point.p99) {
                maxValue = Swift.max(maxValue, point.p99)
                if point.p99 > 0 { minPositive = Swift.min(minPositive, point.p99) }
            }
        }
        let scale = valueScale(minPositive: minPositive, max: maxValue, logRatio: 10)
        let count = points.count
        let left = plotLeft + trendPadding, right = plotRight - trendPadding
        func x(_ index: Int) -> Double {
            count == 1 ? (left + right) / 2 : left + Double(index) * (right - left) / Double(count - 1)
        }

        var regressedCount = 0
        for point in points where point.regressed { regressedCount += 1 }
        let latest = points[count - 1]
        var label = title + ". \(count) run" + (count == 1 ? "" : "s") + ", latest run \(latest.runId)"
        label += ": p50 " + formatValue(latest.p50, unit: unit) + ", p99 " + formatValue(latest.p99, unit: unit)
        if regressedCount > 0 { label += "; \(regressedCount) regressed" }

        var out = ""
        out.reserveCapacity(2_000 + count * 190)
        open(&out, kind: "trend", title: title, label: label)
        yAxis(scale, unit: unit, &out)

        // Run ids under the axis: every step-th run, counted back from the newest.
        let step = Swift.max(1, (count + trendMaxLabels - 1) / trendMaxLabels)
        for index in 0..<count where (count - 1 - index) % step == 0 {
            text(String(points[index].runId), x: x(index), y: plotBottom + 13, anchor: "middle", &out)
        }
        text("run", x: plotLeft - 4, y: plotBottom + 13, anchor: "end", &out)
        axes(&out)

        // The baseline: the last run marked as one.
        if let baseline = points.lastIndex(where: \.isBaseline) {
            let bx = x(baseline)
            out += "<g class=\"base\"><line x1=\""
            num(bx, &out)
            out += "\" x2=\""
            num(bx, &out)
            out += "\" y1=\""
            num(plotTop, &out)
            out += "\" y2=\""
            num(plotBottom, &out)
            out += "\"/>"
            let anchor = bx < plotLeft + 30 ? "start" : (bx > plotRight - 30 ? "end" : "middle")
            text("baseline", x: bx, y: plotTop - 4, anchor: anchor, &out)
            out += "</g>"
        }

        series(points, \.p50, name: "p50", scale: scale, x: x, &out)
        series(points, \.p99, name: "p99", scale: scale, x: x, &out)

        // Markers and tooltips, one group per run.
        for (index, point) in points.enumerated() {
            out += point.regressed ? "<g class=\"pt bad\"><title>" : "<g class=\"pt\"><title>"
            out += HTML.escape(tooltip(point, unit: unit))
            out += "</title>"
            let radius = point.regressed ? "4.5" : "2.5"
            dot(point.p50, name: "p50", x: x(index), radius: radius, scale: scale, &out)
            dot(point.p99, name: "p99", x: x(index), radius: radius, scale: scale, &out)
            out += "</g>"
        }

        // Legend, top right.
        legendEntry("p50", x: plotRight - 88, &out)
        legendEntry("p99", x: plotRight - 40, &out)
        out += "</svg>"
        return out
    }

    /// One marker of a run, unless its value is missing.
    static func dot(_ value: Double, name: String, x: Double, radius: String, scale: ValueScale, _ out: inout String) {
        guard isPlottable(value) else { return }
        out += "<circle class=\""
        out += name
        out += "\" cx=\""
        num(x, &out)
        out += "\" cy=\""
        num(scale.y(value), &out)
        out += "\" r=\""
        out += radius
        out += "\"/>"
    }

    static func isPlottable(_ value: Double) -> Bool {
        value.isFinite && value >= 0
    }

    /// One series as a path, broken where a value is missing.
    static func series(_ points: [TrendPoint], _ value: KeyPath<TrendPoint, Double>, name: String,
                       scale: ValueScale, x: (Int) -> Double, _ out: inout String) {
        out += "<path class=\"line "
        out += name
        out += "\" d=\""
        var pen = false
        for (index, point) in points.enumerated() {
            let v = point[keyPath: value]
            guard isPlottable(v) else {
                pen = false
                continue
            }
            out += pen ? "L" : "M"
            num(x(index), &out)
            out += " "
            num(scale.y(v), &out)
            pen = true
        }
        out += "\"/>"
    }

    static func legendEntry(_ name: String, x: Double, _ out: inout String) {
        out += "<g class=\"key "
        out += name
        out += "\"><path class=\"line\" d=\"M"
        num(x, &out)
        out += " 10H"
        num(x + 14, &out)
        out += "\"/>"
        text(name, x: x + 18, y: 13.5, &out)
        out += "</g>"
    }

    /// "run 42 · 2026-11-25 10:02 · p50 41.2us · p99 88.0us", plus " · baseline", " · regressed".
    static func tooltip(_ point: TrendPoint, unit: String) -> String {
        var text = "run "
        text.reserveCapacity(96)
        text += String(point.runId)
        text += " · "
        text += Figures.time(point.startedAt, seconds: false)
        text += " · p50 " + formatValue(point.p50, unit: unit)
        text += " · p99 " + formatValue(point.p99, unit: unit)
        if point.isBaseline { text += " · baseline" }
        if point.regressed { text += " · regressed" }
        return text
    }
}
