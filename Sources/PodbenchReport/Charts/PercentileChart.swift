import Foundation
import Histogram

/// The percentile distribution chart, drawn like HdrHistogram's percentile plots.
///
/// x: percentile on a log scale of 1/(1-p), one decade per "nine": ticks 0%, 90%, 99%, 99.9%, …,
/// as far as the data goes (at least to 90%, to 99% when the data reaches it, at most 99.99999%;
/// a last finite point less than 0.15 decade past a tick does not open another decade). The 100%
/// point (the max), and anything past the last tick, sits at the right edge.
///
/// y: latency, linear from 0, or log when the max is more than 20× the median (p50), where a
/// linear axis would squash the body of the distribution flat (the ratio to the median rather
/// than to the min: a low min hides nothing on a linear axis, a high tail does). The log axis
/// runs from the smallest positive value to the max, snapped to 1-2-5 steps when it spans up to
/// 3 decades, to whole decades beyond; zero values sit on its floor.
///
/// p50 and p99 are marked on the curve, with dashed guides down to the x axis and labels.
extension SVGChart {
    /// Decades of 1/(1-p) the x axis can show (99.99999%).
    static let maxPercentileDecades = 7
    /// Exact percentiles added to the iteration points, so the curve passes through the values
    /// the report's tables show.
    static let exactPercentiles: [Double] = [50, 90, 99, 99.9, 99.99]
    /// max / p50 above which the y axis is logarithmic.
    static let percentileLogRatio = 20.0

    /// Points of a histogram's percentile distribution, from its percentile iteration
    /// (`percentiles(ticksPerHalfDistance: 5)`: five steps per halving of the distance to 100%),
    /// plus the exact p50, p90, p99, p99.9, p99.99 within the iterated range. Sorted, monotonic
    /// in both coordinates, from the min (0%) to the max recorded value (100%); runs of equal
    /// values keep only their first and last point. At most about 5·log₂(count) + 10 points,
    /// whatever the histogram's value range.
    static func percentilePoints(_ histogram: Histogram<UInt64>) -> [PercentilePoint] {
        guard histogram.totalCount > 0 else { return [] }
        let low = Double(histogram.min)
        let high = Double(histogram.maxRecorded)
        var raw: [PercentilePoint] = []
        raw.reserveCapacity(96)
        // The iterator reports each bucket's highest equivalent value; clamp to [min, maxRecorded]
        // as valueAtPercentile does, so the curve ends exactly at the max recorded value.
        for step in histogram.percentiles(ticksPerHalfDistance: 5) {
            let value = Swift.min(Swift.max(Double(step.value), low), high)
            raw.append(PercentilePoint(percentile: Swift.min(step.percentileLevelIteratedTo, 100), value: value))
        }
        let lastFinite = raw.last(where: { $0.percentile < 100 })?.percentile ?? 0
        for point in exactValues(histogram, percentiles: exactPercentiles.filter { $0 <= lastFinite }, low: low, high: high) {
            raw.append(point)
        }
        // Stable: at equal percentiles the iterator's point comes first.
        raw = raw.enumerated().sorted {
            $0.element.percentile != $1.element.percentile
                ? $0.element.percentile < $1.element.percentile : $0.offset < $1.offset
        }.map(\.element)

        var points: [PercentilePoint] = []
        points.reserveCapacity(raw.count)
        var runningMax = 0.0
        for var point in raw {
            runningMax = Swift.max(runningMax, point.value)
            point.value = runningMax
            if let last = points.last, last.percentile == point.percentile {
                points[points.count - 1].value = point.value
                continue
            }
            // Within a run of equal values keep the first and the last point only, and the exact
            // percentiles, which the markers read.
            if points.count >= 2, points[points.count - 1].value == point.value,
               points[points.count - 2].value == point.value,
               !exactPercentiles.contains(points[points.count - 1].percentile) {
                points[points.count - 1] = point
            } else {
                points.append(point)
            }
        }
        return points
    }

    /// The values at `percentiles` (ascending) as `valueAtPercentile` computes them, found in one
    /// pass over the recorded values (`valueAtPercentile` scans the counts once per call).
    static func exactValues(_ histogram: Histogram<UInt64>, percentiles: [Double], low: Double, high: Double) -> [PercentilePoint] {
        guard !percentiles.isEmpty else { return [] }
        let total = Double(histogram.totalCount)
        let targets = percentiles.map { Swift.max(1, UInt64((Swift.max($0.nextDown, 0) * total / 100).rounded(.up))) }
        var found: [PercentilePoint] = []
        found.reserveCapacity(percentiles.count)
        for step in histogram.recordedValues() {
            while found.count < targets.count, step.totalCountToThisValue >= targets[found.count] {
                let value = Swift.min(Swift.max(Double(step.value), low), high)
                found.append(PercentilePoint(percentile: percentiles[found.count], value: value))
            }
            if found.count == targets.count { break }
        }
        return found
    }

    /// A percentile distribution chart of `points` (as from `percentilePoints`), values in `unit`.
    static func percentileDistribution(_ points: [PercentilePoint], unit: String, title: String) -> String {
        var data: [PercentilePoint] = []
        data.reserveCapacity(points.count)
        var sorted = true
        for point in points where point.percentile.isFinite && point.value.isFinite {
            let clean = PercentilePoint(percentile: Swift.min(Swift.max(point.percentile, 0), 100), value: Swift.max(point.value, 0))
            if let last = data.last, clean.percentile < last.percentile { sorted = false }
            data.append(clean)
        }
        guard !data.isEmpty else { return noData(title: title) }
        if !sorted { data.sort { $0.percentile < $1.percentile } }

        // x axis: decades of 1/(1-p).
        var maxFinite = 0.0
        var maxValue = 0.0
        var minPositive = Double.infinity
        for point in data {
            if point.percentile < 100 { maxFinite = Swift.max(maxFinite, nines(point.percentile)) }
            maxValue = Swift.max(maxValue, point.value)
            if point.value > 0 { minPositive = Swift.min(minPositive, point.value) }
        }
        let topPercentile = data[data.count - 1].percentile
        // A last step just past a decade (99.9902% with 10,000 samples) does not open a new one:
        // it is drawn at the right edge, with the max.
        var decades = Int((maxFinite - 0.15).rounded(.up))
        if topPercentile >= 99 { decades = Swift.max(decades, 2) }
        decades = Swift.min(Swift.max(decades, 1), maxPercentileDecades)
        let xAxis = PercentileAxis(decades: decades)
        // Log y when the max is more than 20× the median: on a linear axis the body of the
        // distribution would take less than 5% of the height. A zero median: the min instead.
        let median = data.first(where: { $0.percentile >= 50 })?.value ?? maxValue
        let reference = median > 0 ? median : minPositive
        let scale = reference.isFinite && reference > 0 && maxValue / reference > percentileLogRatio
            ? logScale(min: minPositive, max: maxValue) : linearScale(max: maxValue)

        let p50 = topPercentile >= 50 ? marker(at: 50, data, xAxis, scale) : nil
        let p99 = topPercentile >= 99 && decades >= 2 ? marker(at: 99, data, xAxis, scale) : nil

        var label = title
        if let p50 { label += ". p50 " + formatValue(p50.value, unit: unit) }
        if let p99 { label += ", p99 " + formatValue(p99.value, unit: unit) }
        label += ", max " + formatValue(maxValue, unit: unit)

        var out = ""
        out.reserveCapacity(2_400 + data.count * 12)
        open(&out, kind: "pct", title: title, label: label)
        yAxis(scale, unit: unit, &out)
        for decade in 0...decades {
            let x = xAxis.x(decades: Double(decade))
            if decade > 0 {
                out += "<line class=\"grid\" x1=\""
                num(x, &out)
                out += "\" x2=\""
                num(x, &out)
                out += "\" y1=\""
                num(plotTop, &out)
                out += "\" y2=\""
                num(plotBottom, &out)
                out += "\"/>"
            }
            let anchor = decade == 0 ? "start" : "middle"
            text(percentileLabel(decades: decade), x: x, y: plotBottom + 13, anchor: anchor, &out)
        }
        axes(&out)

        // The curve: a polyline, points closer than the written precision dropped.
        out += "<polyline class=\"line dist\" points=\""
        var lastX = -1.0, lastY = -1.0
        var first = true
        for point in data {
            let x = ((xAxis.x(percentile: point.percentile)) * 10).rounded() / 10
            let y = (scale.y(point.value) * 10).rounded() / 10
            if x == lastX, y == lastY { continue }
            if !first { out += " " }
            first = false
            num(x, &out)
            out += ","
            num(y, &out)
            lastX = x
            lastY = y
        }
        out += "\"/>"

        if let p50 { drawMarker(p50, name: "p50", unit: unit, &out) }
        if let p99 { drawMarker(p99, name: "p99", unit: unit, &out) }
        out += "</svg>"
        return out
    }

    // MARK: Pieces

    /// The x axis of a percentile chart: decades of 1/(1-p) onto the plot's width.
    struct PercentileAxis {
        var decades: Int

        func x(decades value: Double) -> Double {
            let f = Swift.min(Swift.max(value / Double(decades), 0), 1)
            return SVGChart.plotLeft + f * (SVGChart.plotRight - SVGChart.plotLeft)
        }

        func x(percentile: Double) -> Double {
            percentile >= 100 ? SVGChart.plotRight : x(decades: SVGChart.nines(percentile))
        }
    }

    /// log10(1/(1-p)) for p in percent: 0 at 0%, 1 at 90%, 2 at 99%, …
    static func nines(_ percentile: Double) -> Double {
        guard percentile < 100 else { return Double(maxPercentileDecades) }
        return log10(100 / (100 - Swift.max(percentile, 0)))
    }

    /// "0%", "90%", "99%", "99.9%", "99.99%", …
    static func percentileLabel(decades: Int) -> String {
        switch decades {
        case ..<1: return "0%"
        case 1: return "90%"
        case 2: return "99%"
        default: return "99." + String(repeating: "9", count: decades - 2) + "%"
        }
    }

    struct Marker {
        var x: Double
        var y: Double
        var value: Double
    }

    /// The point of the drawn curve at `percentile`: interpolated between the neighbouring points
    /// in the chart's own coordinates, so the marker sits on the line; exact when a point is there.
    static func marker(at percentile: Double, _ data: [PercentilePoint], _ xAxis: PercentileAxis, _ scale: ValueScale) -> Marker? {
        guard let index = data.firstIndex(where: { $0.percentile >= percentile }) else { return nil }
        let x = xAxis.x(percentile: percentile)
        let upper = data[index]
        guard index > 0, upper.percentile > percentile else {
            return Marker(x: x, y: scale.y(upper.value), value: upper.value)
        }
        let lower = data[index - 1]
        let x0 = xAxis.x(percentile: lower.percentile), x1 = xAxis.x(percentile: upper.percentile)
        let t = x1 > x0 ? (x - x0) / (x1 - x0) : 1
        let f0 = scale.fraction(lower.value), f1 = scale.fraction(upper.value)
        let f = f0 + t * (f1 - f0)
        let value: Double
        if scale.isLog, lower.value > 0, upper.value > 0 {
            value = pow(10, log10(lower.value) + t * (log10(upper.value) - log10(lower.value)))
        } else {
            value = lower.value + t * (upper.value - lower.value)
        }
        return Marker(x: x, y: plotBottom - f * (plotBottom - plotTop), value: value)
    }

    /// A marker: dashed guide from the x axis, a dot on the curve, "p50 41.2us" beside it.
    static func drawMarker(_ marker: Marker, name: String, unit: String, _ out: inout String) {
        out += "<g class=\"mark "
        out += name
        out += "\"><line x1=\""
        num(marker.x, &out)
        out += "\" x2=\""
        num(marker.x, &out)
        out += "\" y1=\""
        num(plotBottom, &out)
        out += "\" y2=\""
        num(marker.y, &out)
        out += "\"/><circle cx=\""
        num(marker.x, &out)
        out += "\" cy=\""
        num(marker.y, &out)
        out += "\" r=\"3\"/>"
        let rightHalf = marker.x > (plotLeft + plotRight) / 2
        let labelY = marker.y - 6 < plotTop - 2 ? marker.y + 13 : marker.y - 6
        text(name + " " + formatValue(marker.value, unit: unit), x: marker.x + (rightHalf ? -5 : 5), y: labelY,
             anchor: rightHalf ? "end" : "start", &out)
        out += "</g>"
    }
}
