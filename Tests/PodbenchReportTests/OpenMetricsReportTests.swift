import Foundation
import PodbenchReport
import PodbenchStore
import PodbenchSynthetic
import Testing

/// OpenMetrics read back by the Prometheus project's own parsers (prometheus_client: its strict
/// OpenMetrics parser and its text-format parser, which node_exporter's textfile collector and
/// the Pushgateway speak), with names from the database that try to break out of a label.
@Suite struct OpenMetricsReportTests {
    /// Every label value `podbench` writes from the database, with a line feed and a backslash.
    static let hostile = ReportFormatTests.hostile + "\nline \\ end"

    /// Parses `text` with both parsers; each sample as `name labels-as-JSON value timestamp`.
    static func parsed(_ text: String) throws -> (status: Int32, samples: [[String: Any]], error: String) {
        let script = """
            import json, sys
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
            from prometheus_client.parser import text_string_to_metric_families as prometheus
            text = sys.stdin.read()
            strict = list(openmetrics(text))
            samples = [{"family": f.name, "type": f.type, "name": s.name, "labels": s.labels, "value": s.value,
                        "timestamp": None if s.timestamp is None else float(s.timestamp)}
                       for f in prometheus(text) for s in f.samples]
            print(json.dumps({"strict": [f.name for f in strict], "samples": samples}))
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script]
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

    @Test func hostileNamesRoundTripThroughBothParsers() throws {
        let (database, _) = try ReportFormatTests().hostileReport(Self.hostile)
        let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter(last: 2))
        let text = OpenMetricsReport().render(report)
        #expect(text.hasSuffix("\n# EOF\n"))
        let result = try Self.parsed(text)
        try #require(result.status == 0, "prometheus_client must be installed (scripts/setup-debian) and parse it: \(result.error)")
        let checks = result.samples.filter { $0["name"] as? String == "podbench_check_failed" }
        #expect(!checks.isEmpty)
        for sample in checks {
            let labels = try #require(sample["labels"] as? [String: String])
            #expect(labels["scenario"] == Self.hostile && labels["check"] == Self.hostile && labels["host"] == Self.hostile, "\(labels)")
            #expect(sample["timestamp"] is Double, "two runs: each sample at its run's time")
        }
        // The second run's check failed; the first passed.
        #expect(checks.compactMap { $0["value"] as? Double }.sorted() == [0, 1])
    }

    @Test func oneRunHasNoTimestampsAndSaysWhenItRan() throws {
        let (database, _) = try ReportFormatTests().hostileReport()
        let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter(last: 1))
        let result = try Self.parsed(OpenMetricsReport().render(report))
        try #require(result.status == 0, "\(result.error)")
        #expect(result.samples.allSatisfy { $0["timestamp"] is NSNull }, "the textfile collector and the Pushgateway refuse timestamps")
        let start = try #require(result.samples.first { $0["name"] as? String == "podbench_run_start_timestamp_seconds" }?["value"] as? Double)
        #expect(abs(start - report.runs[0].run.startedAt.timeIntervalSince1970) < 0.001)
        let quantiles = result.samples.filter { $0["name"] as? String == "podbench_latency_seconds" }.compactMap { ($0["labels"] as? [String: String])?["quantile"] }
        #expect(Set(quantiles) == ["0.5", "0.9", "0.99", "0.999"])
        let metric = try #require(report.runs[0].scenarios[0].metrics.first { $0.unit == "ns" })
        let p50 = result.samples.first { ($0["labels"] as? [String: String])?["quantile"] == "0.5" && ($0["labels"] as? [String: String])?["metric"] == metric.name }?["value"] as? Double
        #expect(p50 == Double(metric.percentile(50)) / 1e9)
    }

    /// docs/grafana's dashboard asks only for series podbench writes: every metric name in its
    /// queries is one of the output's, and every label it matches or shows is one of that
    /// metric's labels.
    @Test func theGrafanaDashboardQueriesWhatTheOutputHolds() throws {
        let database = try TestDatabase()
        var history = SyntheticHistory(seed: 5)
        var result = history.result(of: namedScenario("bulk", check: "c"))
        var throughput = history.metric("bulk.throughput", source: "p/c", median: 3000)
        throughput.unit = "MB/s"
        result.metrics = [history.metric("tcp.round-trip", source: "p/c", median: 50_000), history.metric("pod.start", source: nil, median: 9_000_000), throughput]
        try database.store.writeRun([result])
        let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter())
        // Each sample name (a summary's _sum and _count too) and its labels.
        var labels: [String: Set<String>] = [:]
        for line in OpenMetricsReport().render(report).split(separator: "\n") where !line.hasPrefix("#") {
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            let names = line.split(separator: "{", maxSplits: 1).last?.split(separator: "}").first?.split(separator: ",").map { String($0.prefix { $0 != "=" }) } ?? []
            labels[name, default: []].formUnion(names)
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
        #expect(queries.count >= panels.count)
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
    }

    /// A parser that refuses nothing would make the tests above prove nothing.
    @Test func theParsersRefuseABrokenFile() throws {
        #expect(try Self.parsed("podbench_check_failed{scenario=\"a\"} 1\n").status != 0, "no # EOF")
        #expect(try Self.parsed("podbench_check_failed{scenario=\"a\nb\"} 1\n# EOF\n").status != 0, "a raw line feed in a label")
    }
}
