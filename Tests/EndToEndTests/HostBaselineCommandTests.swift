import Foundation
import Testing

/// `run --runtime host` and the pod overhead: each metric of a pod run beside the newest host
/// run's of the same machine, on the terminal, in JSON and in the HTML overview.
@Suite struct HostBaselineCommandTests {
    @Test func aPodRunShowsItsOverheadOverTheNewestHostRun() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        // The host runtime's processes share the machine's ports: a port of this test's own
        // (HostRuntimeTests runs localhost-tcp on the host at the same time).
        for name in ["localhost-tcp", "pod-isolation-ipc"] {
            let text = try String(contentsOf: repository.appendingPathComponent("Scenarios/\(name).yaml"), encoding: .utf8)
            _ = try scratch.file("scenarios/\(name).yaml", text.replacingOccurrences(of: "port: 5201", with: "port: 5291"))
        }
        let scenarios = ["--scenarios", scratch.url.appendingPathComponent("scenarios").path]
        let host = try await podbenchRun(["run", "localhost-tcp", "pod-isolation-ipc", "--runtime", "host", "--db", db] + scenarios)
        #expect(host.status == 0, "\(host.output)\(host.error)")
        #expect(host.output.contains("SKIP  pod-isolation-ipc"), "\(host.output)")
        #expect(!host.output.contains("VS HOST"), "a host run has no floor under it")

        let pod = try await podbenchRun(["run", "localhost-tcp", "--db", db] + scenarios)
        #expect(pod.status == 0, "\(pod.output)\(pod.error)")
        #expect(pod.output.contains("VS HOST: each metric's p50 and p99 over host run 1's"), "\(pod.output)")
        let row = try #require(pod.output.split(separator: "\n").first { $0.hasPrefix("    tcp.round-trip ") })
        #expect(row.contains(" / ×"), "the overhead column: \(row)")

        let json = try await podbenchRun(["report", "--db", db, "--json"], in: scratch.url)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let run = try #require((object["runs"] as? [[String: Any]])?.last)
        #expect(run["hostRun"] as? Int == 1)
        let metrics = (run["scenarios"] as? [[String: Any]] ?? []).flatMap { $0["metrics"] as? [[String: Any]] ?? [] }
        let figures = try #require(metrics.first { $0["name"] as? String == "tcp.round-trip" }?["host"] as? [String: Any])
        #expect(figures["run"] as? Int == 1 && (figures["overheadP50"] as? Double ?? 0) > 0)

        let html = try await podbenchRun(["report", "--db", db, "--html", "report.html"], in: scratch.url)
        #expect(html.status == 0)
        let page = try String(contentsOf: scratch.url.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("<section id=\"overhead\"><h2>Pod overhead</h2>"))
        #expect(page.contains("class=\"ov-host\"") && page.contains("host run 1 (the floor)"), "the floor in the overview")
        #expect(page.contains("<td>localhost-tcp · tcp.round-trip (net-tcp/client) [cross-cpu]</td>"))

        let compare = try await podbenchRun(["compare", "2", "2", "--all", "--db", db], in: scratch.url)
        #expect(compare.output.contains("vs host run 1 ×"), "\(compare.output)")

        // A run at another placement is another floor: none matches.
        let free = try await podbenchRun(["run", "localhost-tcp", "--placement", "free", "--db", db] + scenarios)
        #expect(!free.output.contains("VS HOST"), "\(free.output)")
    }

    @Test func aCalibratedRunShowsEachLatencysOverheadOverItsTwinsWithItsInterval() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let text = try String(contentsOf: repository.appendingPathComponent("Scenarios/localhost-tcp.yaml"), encoding: .utf8)
        _ = try scratch.file("scenarios/localhost-tcp.yaml", text.replacingOccurrences(of: "port: 5201", with: "port: 5293"))
        let scenarios = ["--scenarios", scratch.url.appendingPathComponent("scenarios").path]
        let run = try await podbenchRun(["run", "localhost-tcp", "--calibrate", "--db", db] + scenarios)
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(run.output.contains("VS HOST: the pod's overhead, each latency's p50 (with its 95% interval) and p99 over its host twin's"), "\(run.output)")
        let row = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("    tcp.round-trip ") })
        #expect(row.contains(" [") && row.contains("] / ×"), "the overhead and its interval: \(row)")

        let json = try await podbenchRun(["report", "--db", db, "--json"], in: scratch.url)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let metrics = ((object["runs"] as? [[String: Any]])?.last?["scenarios"] as? [[String: Any]] ?? []).flatMap { $0["metrics"] as? [[String: Any]] ?? [] }
        let twin = try #require(metrics.first { $0["name"] as? String == "tcp.round-trip" }?["twin"] as? [String: Any])
        let p50 = try #require(twin["overheadP50"] as? [String: Double])
        #expect((p50["low"] ?? 0) <= (p50["ratio"] ?? 0) && (p50["ratio"] ?? 0) <= (p50["high"] ?? 0) && (p50["low"] ?? 0) > 0, "\(p50)")
        #expect(twin["turns"] as? Bool == true && ((twin["before"] as? [String: Any])?["count"] as? Int ?? 0) == 2000 && twin["after"] == nil,
                "one twin, which took turns with the pod, as many samples: \(twin)")
        #expect(metrics.first { $0["name"] as? String == "pod.start" }?["twin"] == nil, "only latencies between containers")

        let prometheus = try await podbenchRun(["report", "--db", db, "--prometheus"], in: scratch.url)
        #expect(prometheus.output.contains("podbench_pod_overhead_ratio_bound{") && prometheus.output.contains("bound=\"lower\""), "\(prometheus.output)")
        let html = try await podbenchRun(["report", "--db", db, "--html", "report.html"], in: scratch.url)
        #expect(html.status == 0)
        let page = try String(contentsOf: scratch.url.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("taking turns with it every millisecond in this run (<code>podbench run --calibrate</code>"))

        // The twin is measured on this machine: where the pods run elsewhere, or are the floor
        // themselves, the flag is refused rather than ignored.
        for runtime in ["kubernetes", "host"] {
            let refused = try await podbenchRun(["run", "localhost-tcp", "--calibrate", "--runtime", runtime, "--db", db] + scenarios)
            #expect(refused.status == 2 && refused.error.contains("--calibrate is for --runtime"), "\(refused.error)")
        }
    }
}
