import Foundation
import Histogram
import PodbenchProbeInterface

/// Inline SVG charts for the HTML report, drawn by hand: no charting library is available.
///
/// Every chart is one `<svg>` element with a fixed 480×220 viewBox and `width="100%"`, styled only
/// through CSS classes (see `css`) and the page's custom properties (`--fg`, `--muted`, `--grid`,
/// `--p50`, `--p99`, `--bad`, `--good`, `--baseline`); no inline styles and no scripts. Every piece
/// of text goes through `HTML.escape(_:)`. Coordinates are written with at most one decimal.
enum SVGChart {
    // MARK: Geometry (viewBox units)

    static let width = 480.0
    static let height = 220.0
    static let plotLeft = 56.0
    static let plotRight = 456.0
    static let plotTop = 30.0
    static let plotBottom = 188.0

    /// CSS for the chart classes (uses the page's custom properties).
    ///
    /// A series colour is carried by `--c`, set by the classes `p50`/`p99`, so lines, markers and
    /// their labels in one group share it.
    static let css = """
    .chart{display:block;width:100%;max-width:760px;height:auto;overflow:visible;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;break-inside:avoid;page-break-inside:avoid}
    .chart text{font-size:10px;fill:var(--muted)}
    .chart .grid{stroke:var(--grid);stroke-width:1;fill:none}
    .chart .axis{stroke:var(--muted);stroke-width:1;fill:none}
    .chart .p50{--c:var(--p50)}
    .chart .p99{--c:var(--p99)}
    .chart .line{fill:none;stroke:var(--c,var(--fg));stroke-width:1.6;stroke-linejoin:round;stroke-linecap:round}
    .chart circle{fill:var(--c,var(--fg));stroke:none}
    .chart .mark line{stroke:var(--c);stroke-width:1;stroke-dasharray:3 3}
    .chart .mark text,.chart .key text{fill:var(--c,var(--fg))}
    .chart .bad circle{fill:var(--bad)}
    .chart .pt:hover circle{stroke:var(--fg);stroke-width:1.5}
    .chart .base line{stroke:var(--baseline);stroke-width:1.2;stroke-dasharray:4 3}
    .chart .base text{fill:var(--baseline)}
    .chart .nodata text{font-size:12px;fill:var(--muted)}
    @media print{.chart{max-width:100%}.chart .line{stroke-width:1.3}.chart .pt:hover circle{stroke:none}}
    """

    // MARK: Shared pieces

    /// The opening `<svg>` with its accessible name and `<title>`. The visible title is the
    /// page's (a `figcaption`), which wraps: a title drawn in the chart would have to be cut.
    static func open(_ out: inout String, kind: String, height: Double = height, title: String, label: String) {
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart "
        out += kind
        out += "\" viewBox=\"0 0 480 "
        num(height, &out)
        out += "\" width=\"100%\" role=\"img\" aria-label=\""
        out += HTML.escape(label)
        out += "\"><title>"
        out += HTML.escape(title)
        out += "</title>"
    }

    /// A small chart that says there is nothing to draw.
    static func noData(title: String) -> String {
        var out = ""
        out.reserveCapacity(320)
        open(&out, kind: "nodata", height: 60, title: title, label: title + ": no data")
        out += "<text x=\"240\" y=\"42\" text-anchor=\"middle\">no data</text></svg>"
        return out
    }

    /// Horizontal grid lines and value labels for a y scale.
    static func yAxis(_ scale: ValueScale, unit: String, _ out: inout String) {
        for tick in scale.ticks {
            let y = scale.y(tick)
            out += "<line class=\"grid\" x1=\""
            num(plotLeft, &out)
            out += "\" x2=\""
            num(plotRight, &out)
            out += "\" y1=\""
            num(y, &out)
            out += "\" y2=\""
            num(y, &out)
            out += "\"/><text x=\""
            num(plotLeft - 4, &out)
            out += "\" y=\""
            num(y + 3.5, &out)
            out += "\" text-anchor=\"end\">"
            out += HTML.escape(formatValue(tick, unit: unit))
            out += "</text>"
        }
    }

    /// The two axis lines at the plot's left and bottom edges.
    static func axes(_ out: inout String) {
        out += "<path class=\"axis\" d=\"M"
        num(plotLeft, &out)
        out += " "
        num(plotTop, &out)
        out += "V"
        num(plotBottom, &out)
        out += "H"
        num(plotRight, &out)
        out += "\"/>"
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String? = nil, cls: String? = nil, _ out: inout String) {
        out += "<text"
        if let cls {
            out += " class=\""
            out += cls
            out += "\""
        }
        out += " x=\""
        num(x, &out)
        out += "\" y=\""
        num(y, &out)
        out += "\""
        if let anchor {
            out += " text-anchor=\""
            out += anchor
            out += "\""
        }
        out += ">"
        out += HTML.escape(content)
        out += "</text>"
    }

    // MARK: Numbers

    private static let digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]

    /// Appends `value` with at most one decimal (`12`, `12.5`, `-3.1`); non-finite values as 0.
    @inline(__always)
    static func num(_ value: Double, _ out: inout String) {
        let tenths = (value * 10).rounded()
        guard tenths.isFinite, abs(tenths) < 1e15 else {
            out += "0"
            return
        }
        var whole = Int(tenths)
        if whole < 0 {
            out += "-"
            whole = -whole
        }
        out += String(whole / 10)
        let fraction = whole % 10
        if fraction != 0 {
            out += "."
            out += digits[fraction]
        }
    }

    /// A value as the report writes it: durations for "ns", else "number unit".
    static func formatValue(_ value: Double, unit: String) -> String {
        guard value.isFinite else { return "–" }
        if unit == "ns", value >= 0, value < 1e17 {
            return DurationText.format(nanoseconds: value)
        }
        let number = formatNumber(value)
        return unit.isEmpty ? number : number + " " + unit
    }

    /// About three significant digits, trailing zeros dropped: `1234`, `56.7`, `8.9`, `0.012`.
    static func formatNumber(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let magnitude = abs(value)
        if magnitude >= 1e15 { return String(value) }
        let decimals: Int
        switch magnitude {
        case 0, 100...: decimals = 0
        case 10...: decimals = 1
        case 1...: decimals = 2
        default: decimals = min(6, 2 - Int(log10(magnitude).rounded(.down)))
        }
        return fixed(value, decimals: decimals)
    }

    /// `value` with `decimals` decimals, trailing zeros (and a bare dot) dropped. No `String(format:)`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled.isFinite, scaled < 9e18 else { return String(value) }
        var units = UInt64(scaled)
        let pow10 = UInt64(scale)
        var out = value < 0 && units != 0 ? "-" : ""
        out += String(units / pow10)
        units %= pow10
        if units != 0 {
            var digits = String(units)
            if digits.count < decimals {
                digits = String(repeating: "0", count: decimals - digits.count) + digits
            }
            while digits.last == "0" { digits.removeLast() }
            out += "."
            out += digits
        }
        return out
    }

    // MARK: Value (y) scales

    /// A y scale from values to viewBox y, linear from 0 or logarithmic, with its tick values.
    struct ValueScale {
        var low: Double
        var high: Double
        var isLog: Bool
        var ticks: [Double]

        /// Where `value` sits between the bottom (0) and the top (1) of the plot, clamped.
        func fraction(_ value: Double) -> Double {
            guard value.isFinite else { return 0 }
            let f: Double
            if isLog {
                guard value > low else { return 0 }
                f = (log10(value) - log10(low)) / (log10(high) - log10(low))
            } else {
                f = (value - low) / (high - low)
            }
            return Swift.min(Swift.max(f, 0), 1)
        }

        func y(_ value: Double) -> Double {
            SVGChart.plotBottom - fraction(value) * (SVGChart.plotBottom - SVGChart.plotTop)
        }

        /// The value at a fraction of the height (the inverse of `fraction`).
        func value(atFraction f: Double) -> Double {
            isLog ? pow(10, log10(low) + f * (log10(high) - log10(low))) : low + f * (high - low)
        }
    }

    /// A log scale when the positive values span more than `logRatio` (max / smallest positive),
    /// else a linear one from 0.
    static func valueScale(minPositive: Double, max: Double, logRatio: Double) -> ValueScale {
        if minPositive > 0, minPositive.isFinite, max.isFinite, max / minPositive > logRatio {
            return logScale(min: minPositive, max: max)
        }
        return linearScale(max: max)
    }

    /// 0 to a round maximum, with 4–6 round steps (1, 2, 5 × 10ⁿ).
    static func linearScale(max: Double) -> ValueScale {
        guard max.isFinite, max > 0 else {
            return ValueScale(low: 0, high: 1, isLog: false, ticks: [0, 0.5, 1])
        }
        let raw = max / 4
        let magnitude = pow(10, log10(raw).rounded(.down))
        let residual = raw / magnitude
        let step = magnitude * (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10)
        let steps = Swift.max(1, Int((max / step * (1 - 1e-9)).rounded(.up)))
        var ticks: [Double] = []
        ticks.reserveCapacity(steps + 1)
        for index in 0...steps { ticks.append(Double(index) * step) }
        return ValueScale(low: 0, high: Double(steps) * step, isLog: false, ticks: ticks)
    }

    /// Whole decades, ticks at each (every other one beyond 7 decades); for a span of up to 3
    /// decades the ends and ticks snap to 1, 2, 5 × 10ⁿ instead.
    static func logScale(min: Double, max: Double) -> ValueScale {
        let lowExponent = log10(min).rounded(.down)
        var highExponent = (log10(max) * (1 - 1e-12)).rounded(.up)
        if highExponent <= lowExponent { highExponent = lowExponent + 1 }
        let decades = Int(highExponent - lowExponent)
        if decades <= 3 {
            var grid: [Double] = []
            grid.reserveCapacity(3 * decades + 1)
            for exponent in Int(lowExponent)...Int(highExponent) {
                let base = pow(10, Double(exponent))
                grid.append(base)
                if exponent < Int(highExponent) {
                    grid.append(2 * base)
                    grid.append(5 * base)
                }
            }
            let tolerance = 1e-9
            var lowIndex = 0
            for (index, g) in grid.enumerated() where g <= min * (1 + tolerance) { lowIndex = index }
            var highIndex = grid.count - 1
            for (index, g) in grid.enumerated().reversed() where g >= max * (1 - tolerance) { highIndex = index }
            if highIndex <= lowIndex { highIndex = Swift.min(lowIndex + 1, grid.count - 1) }
            let ticks = Array(grid[lowIndex...highIndex])
            return ValueScale(low: grid[lowIndex], high: grid[highIndex], isLog: true, ticks: ticks)
        }
        let stride = decades > 7 ? 2 : 1
        var ticks: [Double] = []
        var exponent = Int(lowExponent)
        while exponent <= Int(highExponent) {
            ticks.append(pow(10, Double(exponent)))
            exponent += stride
        }
        return ValueScale(low: pow(10, lowExponent), high: pow(10, highExponent), isLog: true, ticks: ticks)
    }
}

/// One point of a latency distribution: the value at a percentile (0...100).
struct PercentilePoint: Sendable, Equatable {
    var percentile: Double
    var value: Double
}

/// One run of a metric's trend: its p50 and p99, whether it is the baseline, whether it regressed.
public struct TrendPoint: Sendable {
    public var runId: Int64
    public var startedAt: Date
    public var p50: Double
    public var p99: Double
    public var isBaseline: Bool
    public var regressed: Bool

    public init(runId: Int64, startedAt: Date, p50: Double, p99: Double, isBaseline: Bool, regressed: Bool) {
        self.runId = runId
        self.startedAt = startedAt
        self.p50 = p50
        self.p99 = p99
        self.isBaseline = isBaseline
        self.regressed = regressed
    }
}
