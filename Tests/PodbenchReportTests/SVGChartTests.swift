import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Histogram
import Testing
@testable import PodbenchReport

// MARK: - Parsing helpers

/// An element of a parsed SVG: name, attributes, children, and its direct text.
fileprivate final class SVGNode {
    let name: String
    let attributes: [String: String]
    var children: [SVGNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

    /// This node and all below it, depth first, in document order.
    var all: [SVGNode] { [self] + children.flatMap(\.all) }

    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}

fileprivate final class SVGTreeBuilder: NSObject, XMLParserDelegate {
    var stack: [SVGNode] = []
    var root: SVGNode?
    var error: Error?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let node = SVGNode(name: elementName, attributes: attributeDict)
        stack.last?.children.append(node)
        if stack.isEmpty { root = node }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        error = parseError
    }
}

/// The SVG parsed as XML; fails the test when it is not well-formed.
fileprivate func parseSVG(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> SVGNode {
    let parser = XMLParser(data: Data(svg.utf8))
    let builder = SVGTreeBuilder()
    parser.delegate = builder
    let ok = parser.parse()
    #expect(ok, "not well-formed XML: \(String(describing: builder.error ?? parser.parserError))\n\(svg)", sourceLocation: sourceLocation)
    let root = try #require(builder.root, sourceLocation: sourceLocation)
    #expect(root.name == "svg", sourceLocation: sourceLocation)
    return root
}

/// The histogram configuration podbench records into (`LatencyRecorder.emptyHistogram()`).
fileprivate func latencyHistogram() -> Histogram<UInt64> {
    Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000_000, numberOfSignificantValueDigits: .three)
}

fileprivate func uniformHistogram() -> Histogram<UInt64> {
    var histogram = latencyHistogram()
    for value in UInt64(1)...10_000 { _ = histogram.record(value) }
    return histogram
}

fileprivate let hostileTitle = "<script>alert(\"x\")</script> & 'q'"
fileprivate let chartStart = Date(timeIntervalSince1970: 1_795_600_000)  // 2026-11-25 09:46:40 UTC

fileprivate func trendPoints(_ count: Int, baseline: Int? = nil, regressed: Set<Int> = []) -> [TrendPoint] {
    (0..<count).map { index in
        let p50 = 40_000 + Double(index % 5) * 1_000
        return TrendPoint(runId: Int64(100 + index), startedAt: chartStart.addingTimeInterval(Double(index) * 3_600),
                          p50: p50, p99: p50 * 2.5, isBaseline: index == baseline, regressed: regressed.contains(index))
    }
}

// MARK: - Well-formedness for normal and edge inputs

struct SVGChartXMLTests {
    static let percentileInputs: [(String, [PercentilePoint])] = [
        ("uniform", SVGChart.percentilePoints(uniformHistogram())),
        ("empty", []),
        ("single", [PercentilePoint(percentile: 50, value: 1_234)]),
        ("single at 100", [PercentilePoint(percentile: 100, value: 1_234)]),
        ("all equal", [PercentilePoint(percentile: 0, value: 7), PercentilePoint(percentile: 99.9, value: 7), PercentilePoint(percentile: 100, value: 7)]),
        ("all zero", [PercentilePoint(percentile: 0, value: 0), PercentilePoint(percentile: 100, value: 0)]),
        ("zeros on a log axis", [PercentilePoint(percentile: 0, value: 0), PercentilePoint(percentile: 50, value: 0),
                                 PercentilePoint(percentile: 60, value: 10), PercentilePoint(percentile: 99, value: 1e6),
                                 PercentilePoint(percentile: 100, value: 1e9)]),
        ("unsorted, not finite, negative", [PercentilePoint(percentile: 99, value: 30), PercentilePoint(percentile: .nan, value: 1),
                                          PercentilePoint(percentile: 10, value: .infinity), PercentilePoint(percentile: 0, value: -5),
                                          PercentilePoint(percentile: 150, value: 40)]),
        ("only invalid", [PercentilePoint(percentile: .nan, value: .nan)]),
    ]

    @Test(arguments: 0..<percentileInputs.count)
    func percentileChartIsXML(_ index: Int) throws {
        let (name, points) = Self.percentileInputs[index]
        let svg = SVGChart.percentileDistribution(points, unit: "ns", title: "pct \(name)")
        let root = try parseSVG(svg)
        #expect(root.attributes["role"] == "img")
        #expect(root.attributes["width"] == "100%")
        #expect(root.attributes["aria-label"]?.hasPrefix("pct \(name)") == true)
        #expect(root.children.first?.name == "title")
        #expect(!svg.contains("nan") && !svg.contains("inf"), "non-finite number written: \(svg)")
    }

    static let trendInputs: [(String, [TrendPoint])] = [
        ("normal", trendPoints(30, baseline: 10, regressed: [28])),
        ("empty", []),
        ("single", trendPoints(1, baseline: 0)),
        ("all equal", (0..<4).map { TrendPoint(runId: Int64($0), startedAt: chartStart, p50: 5, p99: 5, isBaseline: false, regressed: false) }),
        ("all zero", (0..<3).map { TrendPoint(runId: Int64($0), startedAt: chartStart, p50: 0, p99: 0, isBaseline: $0 == 1, regressed: false) }),
        ("zeros on a log axis", (0..<3).map { TrendPoint(runId: Int64($0), startedAt: chartStart, p50: $0 == 1 ? 0 : 10, p99: 1e6, isBaseline: false, regressed: true) }),
        ("missing values", (0..<4).map { TrendPoint(runId: Int64($0), startedAt: chartStart, p50: $0 == 2 ? .nan : 10, p99: $0 == 1 ? -1 : 20, isBaseline: false, regressed: false) }),
        ("fifty runs", trendPoints(50, baseline: 0, regressed: [49])),
    ]

    @Test(arguments: 0..<trendInputs.count)
    func trendChartIsXML(_ index: Int) throws {
        let (name, points) = Self.trendInputs[index]
        let svg = SVGChart.trend(points, unit: "ns", title: "trend \(name)")
        let root = try parseSVG(svg)
        #expect(root.attributes["role"] == "img")
        #expect(root.attributes["aria-label"]?.hasPrefix("trend \(name)") == true)
        #expect(root.children.first?.name == "title")
        #expect(!svg.contains("nan") && !svg.contains("inf"), "non-finite number written: \(svg)")
        // One tooltip per run.
        #expect(root.all.filter { $0.classes.contains("pt") }.count == points.count)
    }

    @Test func emptyInputSaysNoData() throws {
        for svg in [SVGChart.percentileDistribution([], unit: "ns", title: "t"), SVGChart.trend([], unit: "ns", title: "t")] {
            let root = try parseSVG(svg)
            #expect(root.all.contains { $0.name == "text" && $0.text == "no data" })
            #expect(svg.utf8.count < 400)
        }
    }

    /// Coordinates are written with at most one decimal.
    @Test func numbersHaveAtMostOneDecimal() throws {
        let svgs = [
            SVGChart.percentileDistribution(SVGChart.percentilePoints(uniformHistogram()), unit: "ns", title: "p"),
            SVGChart.trend(trendPoints(17, baseline: 3, regressed: [5]), unit: "ns", title: "t"),
        ]
        for svg in svgs {
            let root = try parseSVG(svg)
            for node in root.all {
                for key in ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r"] {
                    guard let value = node.attributes[key] else { continue }
                    #expect(Double(value) != nil, "\(key)=\(value)")
                    if let dot = value.firstIndex(of: ".") {
                        #expect(value.distance(from: dot, to: value.endIndex) <= 2, "\(key)=\(value)")
                    }
                }
            }
        }
    }
}

// MARK: - Escaping

struct SVGChartEscapingTests {
    @Test func hostileTitleAndUnitAreEscaped() throws {
        let svgs = [
            SVGChart.percentileDistribution(SVGChart.percentilePoints(uniformHistogram()), unit: "<b>", title: hostileTitle),
            SVGChart.percentileDistribution([], unit: "ns", title: hostileTitle),
            SVGChart.trend(trendPoints(5, baseline: 1, regressed: [4]), unit: "<b>", title: hostileTitle),
            SVGChart.trend([], unit: "ns", title: hostileTitle),
        ]
        for svg in svgs {
            #expect(!svg.contains("<script"))
            #expect(!svg.contains("<b>"))
            #expect(svg.contains("&lt;script&gt;"))
            let root = try parseSVG(svg)
            // The parser decodes the entities back: the text survives intact.
            #expect(root.children.first?.text == hostileTitle)
            #expect(root.attributes["aria-label"]?.hasPrefix(hostileTitle) == true)
            #expect(!root.all.contains { $0.name == "script" || $0.name == "b" })
        }
    }
}

// MARK: - Percentile chart geometry

struct PercentileChartTests {
    private func chart(_ points: [PercentilePoint]) throws -> SVGNode {
        try parseSVG(SVGChart.percentileDistribution(points, unit: "ns", title: "latency"))
    }

    private func polylinePoints(_ root: SVGNode) throws -> [(x: Double, y: Double)] {
        let line = try #require(root.all.first { $0.name == "polyline" })
        return try (line.attributes["points"] ?? "").split(separator: " ").map { pair in
            let parts = pair.split(separator: ",")
            try #require(parts.count == 2)
            return (try #require(Double(String(parts[0]))), try #require(Double(String(parts[1]))))
        }
    }

    @Test func xPositionsAreMonotonic() throws {
        let root = try chart(SVGChart.percentilePoints(uniformHistogram()))
        let points = try polylinePoints(root)
        #expect(points.count > 10)
        for (a, b) in zip(points, points.dropFirst()) {
            #expect(a.x <= b.x, "x goes back: \(a.x) then \(b.x)")
            #expect(a.y >= b.y, "a growing latency must not go down the chart: \(a.y) then \(b.y)")
        }
        // From the left edge of the plot to its right edge.
        #expect(points.first?.x == SVGChart.plotLeft)
        #expect(points.last?.x == SVGChart.plotRight)
    }

    @Test func unsortedInputIsDrawnInPercentileOrder() throws {
        let root = try chart([PercentilePoint(percentile: 99, value: 30), PercentilePoint(percentile: 0, value: 1),
                              PercentilePoint(percentile: 100, value: 40), PercentilePoint(percentile: 50, value: 5)])
        let points = try polylinePoints(root)
        #expect(points.count == 4)
        for (a, b) in zip(points, points.dropFirst()) {
            #expect(a.x <= b.x)
            #expect(a.y > b.y)
        }
    }

    private func markerX(_ root: SVGNode, _ name: String) throws -> Double {
        let group = try #require(root.all.first { $0.classes == ["mark", name] }, "no \(name) marker")
        let line = try #require(group.children.first { $0.name == "line" })
        let circle = try #require(group.children.first { $0.name == "circle" })
        #expect(line.number("x1") == circle.number("cx"))
        return try #require(line.number("x1"))
    }

    @Test func p99MarkerIsRightOfP50() throws {
        let root = try chart(SVGChart.percentilePoints(uniformHistogram()))
        let p50 = try markerX(root, "p50")
        let p99 = try markerX(root, "p99")
        #expect(p99 > p50 + 50)
        // The labels carry the exact values.
        let labels = root.all.filter { $0.name == "text" }.map(\.text)
        #expect(labels.contains("p50 5.00us"))
        #expect(labels.contains("p99 9.90us"))
    }

    @Test func xTicksGoAsFarAsTheData() throws {
        let root = try chart(SVGChart.percentilePoints(uniformHistogram()))
        let labels = root.all.filter { $0.name == "text" }.map(\.text)
        // 10,000 samples: the last step before 100% is just above 99.99%, so the axis ends there.
        for tick in ["0%", "90%", "99%", "99.9%", "99.99%"] { #expect(labels.contains(tick), "missing \(tick)") }
        #expect(!labels.contains("99.999%"))

        let short = try chart([PercentilePoint(percentile: 0, value: 1), PercentilePoint(percentile: 50, value: 2), PercentilePoint(percentile: 80, value: 3)])
        let shortLabels = short.all.filter { $0.name == "text" }.map(\.text)
        #expect(shortLabels.contains("90%") && !shortLabels.contains("99%"))
        #expect(!short.all.contains { $0.classes == ["mark", "p99"] }, "no p99 marker when the data stops at 80%")
    }

    @Test func logAxisOnlyForWideTails() throws {
        // Narrow: linear from 0, so 0ns is a tick.
        let narrow = try chart(SVGChart.percentilePoints(uniformHistogram()))
        #expect(narrow.all.contains { $0.name == "text" && $0.text == "0ns" })
        // The max 10,000× the median: log, decades as ticks, no zero.
        var histogram = latencyHistogram()
        _ = histogram.record(1_000, count: 10_000)
        _ = histogram.record(10_000_000, count: 10)
        let wide = try chart(SVGChart.percentilePoints(histogram))
        let labels = wide.all.filter { $0.name == "text" }.map(\.text)
        #expect(!labels.contains("0ns"))
        #expect(labels.contains("1.00us") && labels.contains("10.0ms"))
    }

    @Test func singleSampleAndZerosDoNotBreak() throws {
        var one = latencyHistogram()
        _ = one.record(5_000)
        let points = SVGChart.percentilePoints(one)
        #expect(points.first == PercentilePoint(percentile: 0, value: 5_000))
        #expect(points.last == PercentilePoint(percentile: 100, value: 5_000))
        let root = try chart(points)
        #expect(try markerX(root, "p99") > markerX(root, "p50"))

        let zeros = try chart([PercentilePoint(percentile: 0, value: 0), PercentilePoint(percentile: 50, value: 0),
                               PercentilePoint(percentile: 99, value: 1e6), PercentilePoint(percentile: 100, value: 1e9)])
        for point in try polylinePoints(zeros) {
            #expect(point.y <= SVGChart.plotBottom && point.y >= SVGChart.plotTop)
        }
    }
}

// MARK: - percentilePoints

struct PercentilePointsTests {
    @Test func uniformHistogramIsMonotonicFromMinToMax() throws {
        let histogram = uniformHistogram()
        let points = SVGChart.percentilePoints(histogram)
        #expect(points.count > 20 && points.count < 150, "\(points.count) points")
        for (a, b) in zip(points, points.dropFirst()) {
            #expect(a.percentile < b.percentile)
            #expect(a.value <= b.value)
        }
        let first = try #require(points.first)
        let last = try #require(points.last)
        #expect(first.percentile == 0)
        #expect(first.value >= 1 && first.value <= 2, "starts at \(first.value), not near the min")
        #expect(last.percentile == 100)
        #expect(last.value == 10_000)
        #expect(last.value == Double(histogram.maxRecorded))
    }

    @Test func exactPercentilesMatchValueAtPercentile() throws {
        var histogram = latencyHistogram()
        for value in UInt64(1)...50_000 { _ = histogram.record(value * value % 1_000_003 + 100) }
        let points = SVGChart.percentilePoints(histogram)
        // 50,000 samples: the iteration's last step before 100% is below 99.99%, so that one is left out.
        #expect(!points.contains { $0.percentile == 99.99 })
        for percentile in [50.0, 90, 99, 99.9] {
            let point = try #require(points.first { $0.percentile == percentile }, "no point at \(percentile)")
            #expect(point.value == Double(histogram.valueAtPercentile(percentile)), "at \(percentile)")
        }
    }

    @Test func boundedForWideHistograms() {
        var histogram = latencyHistogram()
        _ = histogram.record(1, count: 1)
        _ = histogram.record(1_000, count: 1_000_000)
        _ = histogram.record(3_000_000_000_000, count: 1)
        var value: UInt64 = 1
        while value < 3_000_000_000_000 {
            _ = histogram.record(value, count: 1_000)
            value = value * 3 / 2 + 1
        }
        let points = SVGChart.percentilePoints(histogram)
        #expect(points.count < 200, "\(points.count) points")
        #expect(points.last?.value == Double(histogram.maxRecorded))
        let svg = SVGChart.percentileDistribution(points, unit: "ns", title: "wide")
        #expect(svg.utf8.count < 6_000)
    }

    @Test func emptyHistogramHasNoPoints() {
        #expect(SVGChart.percentilePoints(latencyHistogram()).isEmpty)
    }
}

// MARK: - Trend chart

struct TrendChartTests {
    private func runGroups(_ root: SVGNode) -> [SVGNode] {
        root.all.filter { $0.classes.contains("pt") }
    }

    @Test func xPositionsFollowRunOrder() throws {
        let root = try parseSVG(SVGChart.trend(trendPoints(50, baseline: 20), unit: "ns", title: "t"))
        let groups = runGroups(root)
        #expect(groups.count == 50)
        let xs = try groups.map { group in
            try #require(group.children.first { $0.classes == ["p50"] }?.number("cx"))
        }
        for (a, b) in zip(xs, xs.dropFirst()) { #expect(a < b) }
        // The tooltips follow the same order.
        #expect(groups.first?.children.first?.text.hasPrefix("run 100 ·") == true)
        #expect(groups.last?.children.first?.text.hasPrefix("run 149 ·") == true)
        // p99 sits above p50 (smaller y) in every run.
        for group in groups {
            let p50 = try #require(group.children.first { $0.classes == ["p50"] }?.number("cy"))
            let p99 = try #require(group.children.first { $0.classes == ["p99"] }?.number("cy"))
            #expect(p99 < p50)
        }
    }

    @Test func regressedPointIsBad() throws {
        let root = try parseSVG(SVGChart.trend(trendPoints(10, regressed: [7]), unit: "ns", title: "t"))
        let groups = runGroups(root)
        let bad = groups.filter { $0.classes.contains("bad") }
        #expect(bad.count == 1)
        let regressed = try #require(bad.first)
        #expect(regressed.children.first?.name == "title")
        #expect(regressed.children.first?.text.hasPrefix("run 107 ·") == true)
        let normal = try #require(groups.first)
        #expect(try #require(regressed.children.last?.number("r")) > #require(normal.children.last?.number("r")))
    }

    @Test func baselineLabelAppearsOnce() throws {
        let svg = SVGChart.trend(trendPoints(12, baseline: 4), unit: "ns", title: "t")
        let root = try parseSVG(svg)
        let labels = root.all.filter { $0.name == "text" && $0.text == "baseline" }
        #expect(labels.count == 1)
        let base = try #require(root.all.first { $0.classes == ["base"] })
        let line = try #require(base.children.first { $0.name == "line" })
        let baselineGroup = runGroups(root)[4]
        #expect(line.number("x1") == baselineGroup.children.last?.number("cx"))

        let none = try parseSVG(SVGChart.trend(trendPoints(12), unit: "ns", title: "t"))
        #expect(!none.all.contains { $0.name == "text" && $0.text == "baseline" })
    }

    @Test func tooltipText() throws {
        // 2026-11-25 10:02 UTC
        let date = Date(timeIntervalSince1970: 1_795_600_000 + 15 * 60 + 20)
        let point = TrendPoint(runId: 42, startedAt: date, p50: 41_200, p99: 88_000, isBaseline: false, regressed: false)
        #expect(SVGChart.tooltip(point, unit: "ns") == "run 42 · 2026-11-25 10:02 · p50 41.2us · p99 88.0us")
        let root = try parseSVG(SVGChart.trend([point], unit: "ns", title: "t"))
        #expect(runGroups(root).first?.children.first?.text == "run 42 · 2026-11-25 10:02 · p50 41.2us · p99 88.0us")
        let other = TrendPoint(runId: 7, startedAt: date, p50: 12.5, p99: 1_500, isBaseline: true, regressed: true)
        #expect(SVGChart.tooltip(other, unit: "MB/s") == "run 7 · 2026-11-25 10:02 · p50 12.5 MB/s · p99 1500 MB/s · baseline · regressed")
    }

    /// Every time a report writes (headers, JUnit, tooltips) comes from `Figures.time`.
    @Test func timesMatchFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        func two(_ v: Int?) -> String { let v = v ?? -1; return v < 10 ? "0\(v)" : "\(v)" }
        for seconds in stride(from: -2_000_000_000.0, through: 4_000_000_000, by: 86_400 * 37.3 + 61) {
            let date = Date(timeIntervalSince1970: seconds)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let day = "\(c.year ?? 0)-\(two(c.month))-\(two(c.day))"
            #expect(Figures.time(date, seconds: false) == "\(day) \(two(c.hour)):\(two(c.minute))")
            #expect(Figures.time(date) == "\(day) \(two(c.hour)):\(two(c.minute)):\(two(c.second))Z")
            #expect(Figures.time(date, separator: "T", zone: "") == "\(day)T\(two(c.hour)):\(two(c.minute)):\(two(c.second))")
        }
    }

    @Test func logAxisWhenSpanningMoreThanADecade() throws {
        let points = (0..<5).map { TrendPoint(runId: Int64($0), startedAt: chartStart, p50: 20_000, p99: 5_000_000, isBaseline: false, regressed: false) }
        let root = try parseSVG(SVGChart.trend(points, unit: "ns", title: "t"))
        let labels = root.all.filter { $0.name == "text" }.map(\.text)
        #expect(!labels.contains("0ns"))
        #expect(labels.contains("20.0us") && labels.contains("5.00ms"))
        let linear = try parseSVG(SVGChart.trend(trendPoints(5), unit: "ns", title: "t"))
        #expect(linear.all.contains { $0.name == "text" && $0.text == "0ns" })
    }
}

// MARK: - Formatting

struct SVGChartFormattingTests {
    @Test func values() {
        #expect(SVGChart.formatValue(850, unit: "ns") == "850ns")
        #expect(SVGChart.formatValue(12_300, unit: "ns") == "12.3us")
        #expect(SVGChart.formatValue(12.5, unit: "MB/s") == "12.5 MB/s")
        #expect(SVGChart.formatValue(2_000, unit: "req") == "2000 req")
        #expect(SVGChart.formatValue(0.05, unit: "") == "0.05")
        #expect(SVGChart.formatValue(-3.25, unit: "x") == "-3.25 x")
        #expect(SVGChart.formatValue(.nan, unit: "ns") == "–")
    }

    @Test func coordinates() {
        func written(_ value: Double) -> String {
            var out = ""
            SVGChart.num(value, &out)
            return out
        }
        #expect(written(12) == "12")
        #expect(written(12.04) == "12")
        #expect(written(12.06) == "12.1")
        #expect(written(-3.14) == "-3.1")
        #expect(written(0.04) == "0")
        #expect(written(.nan) == "0")
    }
}
