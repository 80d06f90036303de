import Foundation
import PodbenchReport
import PodbenchStore
import PodbenchTestSupport
import Testing

/// The Prometheus outputs read back by the Prometheus project's own parsers (prometheus_client:
/// its strict OpenMetrics parser for `--openmetrics`, its text-format parser for
/// `--prometheus`), with names from the database that try to break out of a label. The real
/// consumers (promtool, node_exporter, the Pushgateway, a Prometheus server) read them in
/// `OneVerdictTests`.
@Suite struct OpenMetricsReportTests {
    /// Every label value `podbench` writes from the database, with a line feed and a backslash.
    static let hostile = ReportFormatTests.hostile + "\nline \\ end"

    /// Parses `text` with prometheus_client's OpenMetrics parser (`strict`) or its text-format
    /// parser, the one node_exporter's and the Pushgateway's format follows; each sample as its
    /// name, labels, value and timestamp.
    static func parsed(_ text: String, strict: Bool) throws -> (status: Int32, samples: [[String: Any]], error: String) {
        let script = """
            import json, sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
            from prometheus_client.parser import text_string_to_metric_families as prometheus
            text = sys.stdin.read()
            parse = openmetrics if sys.argv[1] == "strict" else prometheus
            samples = [{"family": f.name, "type": f.type, "name": s.name, "labels": s.labels, "value": s.value,
                        "timestamp": None if s.timestamp is None else float(s.timestamp)}
                       for f in parse(text) for s in f.samples]
            print(json.dumps({"samples": samples}))
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, strict ? "strict" : "text"]
        let input = Pipe(), output = Pipe(), error = Pipe()
        (python.standardInput, python.standardOutput, python.standardError) = (input, output, error)
        try python.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        guard python.terminationStatus == 0 else { return (python.terminationStatus, [], err) }
        let object = try #require(try JSONSerialization.jsonObject(with: out) as? [String: Any])
        return (0, object["samples"] as? [[String: Any]] ?? [], err)
    }

    /// Both formats carry the names from the database whole, whatever they hold; OpenMetrics
    /// puts each sample at its run's time, the text format (the newest run of a variant) none.
    @Test func hostileNamesRoundTripThroughBothFormats() throws {
        let (database, _) = try ReportFormatTests().hostileReport(Self.hostile)
        let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter(last: 2))
        let openmetrics = OpenMetricsReport().render(report)
        #expect(openmetrics.hasSuffix("\n# EOF\n"))
        for (text, strict) in [(openmetrics, true), (PrometheusTextReport().render(report), false)] {
            let result = try Self.parsed(text, strict: strict)
            try #require(result.status == 0, "prometheus_client must be installed (scripts/setup-debian) and parse it: \(result.error)")
            let checks = result.samples.filter { $0["name"] as? String == "podbench_check_failed" }
            #expect(!checks.isEmpty)
            for sample in checks {
                let labels = try #require(sample["labels"] as? [String: String])
                #expect(labels["scenario"] == Self.hostile && labels["check"] == Self.hostile && labels["host"] == Self.hostile, "\(labels)")
                #expect(strict ? sample["timestamp"] is Double : sample["timestamp"] is NSNull, "OpenMetrics at the run's time; the text format without")
            }
            // OpenMetrics: the second run's check failed, the first passed; the text format: the newest alone.
            #expect(checks.compactMap { $0["value"] as? Double }.sorted() == (strict ? [0, 1] : [1]))
        }
    }

    @Test func theTextFormatHasNoTimestampsAndSaysWhenTheRunRanAndWhatItCameTo() throws {
        let (database, _) = try ReportFormatTests().hostileReport()
        let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter(last: 1))
        let result = try Self.parsed(PrometheusTextReport().render(report), strict: false)
        try #require(result.status == 0, "\(result.error)")
        #expect(result.samples.allSatisfy { $0["timestamp"] is NSNull }, "the textfile collector and the Pushgateway refuse timestamps")
        let start = try #require(result.samples.first { $0["name"] as? String == "podbench_run_start_timestamp_seconds" }?["value"] as? Double)
        #expect(abs(start - report.runs[0].run.startedAt.timeIntervalSince1970) < 0.001)
        let outcome = result.samples.filter { $0["name"] as? String == "podbench_run_outcome" && $0["value"] as? Double == 1 }
        #expect(outcome.compactMap { ($0["labels"] as? [String: String])?["outcome"] } == ["failed"])
        let quantiles = result.samples.filter { $0["name"] as? String == "podbench_latency_seconds" }.compactMap { ($0["labels"] as? [String: String])?["quantile"] }
        #expect(Set(quantiles) == ["0.5", "0.9", "0.99", "0.999"])
        let metric = try #require(report.runs[0].scenarios[0].metrics.first { $0.unit == "ns" })
        let p50 = result.samples.first { ($0["labels"] as? [String: String])?["quantile"] == "0.5" && ($0["labels"] as? [String: String])?["metric"] == metric.name }?["value"] as? Double
        #expect(p50 == Double(metric.percentile(50)) / 1e9)
    }

    /// docs/grafana's dashboard asks only for series podbench writes: every metric name in its
    /// queries is one of the output's, and every label it matches or shows is one of that
    /// metric's labels (or one the scrape adds: job, instance). The runs: a host run, a run on
    /// a pod over it, and one twice as slow, so that every family is written.
    @Test func theGrafanaDashboardQueriesWhatTheOutputHolds() throws {
        let database = try TestDatabase()
        var history = SyntheticHistory(seed: 5)
        func run(_ slowdown: Double, runtime: String) throws {
            var result = history.result(of: namedScenario("bulk", check: "c"))
            var throughput = history.metric("bulk.throughput", source: "p/c", median: 3000)
            throughput.unit = "MB/s"
            result.metrics = [history.metric("tcp.round-trip", source: "p/c", median: 50_000 * slowdown, sigma: 0.05),
                              history.metric("tcp.one-way", source: "p/c", median: 25_000 * slowdown, sigma: 0.05),
                              history.metric("tcp.connect", source: "p/c", median: 40_000 * slowdown, sigma: 0.05),
                              history.metric("pod.start", source: nil, median: 9_000_000), throughput]
            var fingerprint = SyntheticHistory.fingerprint
            fingerprint.runtime = runtime
            try SyntheticHistory.write([result], to: database.store, fingerprint: fingerprint)
        }
        try run(1, runtime: "host")
        try run(1, runtime: "local")
        try run(2, runtime: "local")
        let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter(last: 3))
        #expect(report.latest?.floor != nil && report.comparison?.regressions.isEmpty == false, "a floor and a regression to show")
        // Each sample name (a summary's _sum and _count too) and its labels.
        var labels: [String: Set<String>] = [:]
        for line in PrometheusTextReport().render(report).split(separator: "\n") where !line.hasPrefix("#") {
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            let names = line.split(separator: "{", maxSplits: 1).last?.split(separator: "}").first?.split(separator: ",").map { String($0.prefix { $0 != "=" }) } ?? []
            labels[name, default: []].formUnion(names + ["job", "instance"])
        }
        #expect(labels["podbench_throughput_bytes_per_second"] != nil && labels["podbench_latency_seconds"]?.contains("quantile") == true, "\(labels.keys)")

        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/grafana/podbench-dashboard.json").standardized
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let variables = try #require((dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]])
        var queries: [(expr: String, legend: String)] = variables.compactMap { ($0["query"] as? String).map { ($0, "") } }.filter { $0.expr.contains("podbench_") }
        for panel in panels {
            #expect(panel["title"] is String && panel["gridPos"] is [String: Any])
            for target in try #require(panel["targets"] as? [[String: Any]]) {
                queries.append((try #require(target["expr"] as? String), target["legendFormat"] as? String ?? ""))
            }
        }
        let annotations = ((dashboard["annotations"] as? [String: Any])?["list"] as? [[String: Any]]) ?? []
        queries += annotations.compactMap { annotation in (annotation["expr"] as? String).map { ($0, annotation["textFormat"] as? String ?? "") } }
        #expect(queries.count >= panels.count + 1)
        for (expr, legend) in queries {
            // Each `podbench_x{...}` selector: its name and the labels it matches on.
            var used: Set<String> = []
            for match in expr.matches(of: /(podbench_[a-z_]+)(\{([^}]*)\})?/) {
                let name = String(match.1)
                let known = try #require(labels[name], "\(expr): no series \(name) in the output")
                used.formUnion(known)
                for matcher in (match.3.map(String.init) ?? "").split(separator: ",") {
                    let label = String(matcher.trimmingCharacters(in: .whitespaces).prefix { $0.isLetter || $0 == "_" })
                    #expect(known.contains(label), "\(expr): \(name) has no label \(label)")
                }
            }
            for shown in legend.matches(of: /\{\{([a-z_]+)\}\}/) {
                #expect(used.contains(String(shown.1)), "\(legend): no label \(shown.1) in \(expr)")
            }
            for grouped in expr.matches(of: /label_values\([^,]+,\s*([a-z_]+)\)/) {
                #expect(used.contains(String(grouped.1)), "\(expr)")
            }
        }
        // The dashboard is what its script writes.
        let made = try String(contentsOf: url, encoding: .utf8)
        let script = url.deletingLastPathComponent().appendingPathComponent("make-dashboard").path
        let copy = NSTemporaryDirectory() + "podbench-dashboard-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: script, toPath: copy + "/make-dashboard")
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", copy + "/make-dashboard"]
        try python.run()
        python.waitUntilExit()
        #expect(try String(contentsOfFile: copy + "/podbench-dashboard.json", encoding: .utf8) == made, "run docs/grafana/make-dashboard")
    }

    /// A parser that refuses nothing would make the tests above prove nothing.
    @Test func theParsersRefuseABrokenFile() throws {
        #expect(try Self.parsed("podbench_check_failed{scenario=\"a\"} 1\n", strict: true).status != 0, "no # EOF")
        #expect(try Self.parsed("podbench_check_failed{scenario=\"a\nb\"} 1\n", strict: false).status != 0, "a raw line feed in a label")
    }
}
