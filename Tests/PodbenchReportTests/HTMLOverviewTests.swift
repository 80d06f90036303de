import Foundation
import PodbenchCore
import PodbenchReport
import PodbenchStore
import PodbenchTestSupport
import Testing

/// The HTML report's overview: every latency's p50 and p99 on one axis, grouped by channel
/// family, with the reference as ghost marks; then the verdicts, then the details, where
/// single-sample figures are a table and the percentile charts are folded by family.
@Suite struct HTMLOverviewTests {
    static let repositoryScenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scenarios").standardized.path

    /// A baseline run and a slower run of a volume, an IPC and a localhost scenario, each with
    /// its pod's start as a single sample.
    func report() throws -> (TestDatabase, Report) {
        let database = try TestDatabase()
        let scenarios = try ScenarioLoader.load(paths: [Self.repositoryScenarios]).filter { ["ipc-message-queue", "shared-volume", "localhost-tcp"].contains($0.name) }
        var history = SyntheticHistory(seed: 4)
        for (index, slowdown) in [1.0, 1.6].enumerated() {
            let results = scenarios.map { scenario in
                var result = history.result(of: scenario, slowdown: slowdown)
                result.tags = scenario.tags
                var start = history.metric("pod.start", source: nil, median: 9_000_000, count: 1)
                start.unit = "ns"
                result.metrics.append(start)
                return result
            }
            let id = try SyntheticHistory.write(results, to: database.store, fingerprint: SyntheticHistory.fingerprint, startedAt: Date().addingTimeInterval(Double(index - 2) * 3600))
            if index == 0 { try database.store.setBaseline(runId: id) }
        }
        return (database, try ReportBuilder(store: database.store, generator: "t").build(RunFilter()))
    }

    @Test func theOverviewComesFirstWithEveryLatencyByFamilyAndTheBaselineBesideIt() throws {
        let (_, report) = try report()
        let html = HTMLReport().render(report)
        let overview = try #require(html.range(of: "<section id=\"overview\">"))
        let conformance = try #require(html.range(of: "<section id=\"conformance\">"))
        let latency = try #require(html.range(of: "<section id=\"latency\">"))
        #expect(overview.lowerBound < conformance.lowerBound && conformance.lowerBound < latency.lowerBound)
        let section = String(html[overview.lowerBound..<conformance.lowerBound])
        let families = ["<h3>Volumes</h3>", "<h3>IPC</h3>", "<h3>Localhost and the pod network</h3>"].map { section.range(of: $0)?.lowerBound }
        #expect(families.allSatisfy { $0 != nil } && families.map { $0! } == families.map { $0! }.sorted(), "grouped, in order")
        let run = try #require(report.latest)
        let latencies = run.scenarios.flatMap(\.metrics).filter { $0.unit == "ns" && $0.count > 1 }
        #expect(!latencies.isEmpty)
        for metric in latencies {
            #expect(section.contains("<span class=\"ov-label\">\(HTML.escape(metric.key.label))</span>"), "\(metric.key.label)")
        }
        #expect(section.components(separatedBy: "<div class=\"ov-row\"").count - 1 + section.components(separatedBy: "<div class=\"ov-row regressed\"").count - 1 == latencies.count)
        #expect(section.components(separatedBy: "class=\"ov-marks ghost\"").count - 1 == latencies.count, "the baseline beside each")
        #expect(section.contains("baseline run 1"))
        #expect(section.contains("regressed"), "1.6 times slower than the baseline")
        #expect(!section.contains("pod.start"), "one sample is no distribution")
    }

    @Test func singleSamplesAreATableAndTheChartsAreFoldedByFamilyWithWholeTitles() throws {
        let (_, report) = try report()
        let html = HTMLReport().render(report)
        let start = try #require(html.range(of: "<section id=\"latency\">")).lowerBound
        let end = try #require(html.range(of: "<section id=\"trends\">")).lowerBound
        let latency = String(html[start..<end])
        let table = try #require(latency.range(of: "<table class=\"single\">")).lowerBound
        #expect(latency.contains("<th>baseline run 1</th>"))
        for scenario in ["ipc-message-queue", "shared-volume", "localhost-tcp"] {
            #expect(latency[table...].contains("<td>\(scenario) · pod.start</td>"))
        }
        #expect(latency.contains("<details class=\"family\"><summary>IPC · ") && latency.contains("<details class=\"family\"><summary>Volumes · "))
        #expect(!latency.contains("<figcaption>ipc-message-queue · pod.start"), "no chart for a single sample")
        // Titles are the page's, whole: the charts draw none to cut.
        #expect(!html.contains("class=\"ttl\"") && !html.contains("…</"))
        let run = try #require(report.latest)
        for metric in run.scenarios.flatMap(\.metrics) where metric.count > 1 {
            #expect(latency.contains("<figcaption>\(HTML.escape(metric.key.label))</figcaption>"))
        }
    }
}
