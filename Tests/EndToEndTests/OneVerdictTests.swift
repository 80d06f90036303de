import Foundation
import GRDB
import PodbenchCore
import PodbenchStore
import PodbenchTestSupport
import Testing

/// One run of each outcome, made by the real `podbench run`: every output says what the exit
/// status says, read by the tools that consume it (junitparser as sonobuoy and GitLab read
/// JUnit; promtool, node_exporter's textfile collector, the Pushgateway and a Prometheus server
/// for the series, and every query of the Grafana dashboard against that server).
@Suite(.serialized) struct OneVerdictTests {
    /// A run of each outcome in one database, with its exit status, made once for the suite.
    struct Runs: Sendable {
        let directory: String
        let database: String
        /// outcome → (run id, exit status, what `run` printed)
        let runs: [String: (id: Int64, status: Int32, output: String)]
    }

    static let made = Task { try await make() }

    /// A scenario whose hostname check holds (`name` is the pod's) or not, at `level`.
    static func hostnameScenario(name: String, level: String) -> String {
        """
        name: verdict
        description: A pod's hostname, checked at \(level).
        pod:
          name: verdict
          containers: [{name: c, probe: hostname, args: {name: \(name)}}]
        expect: [{check: uts.hostname, level: \(level)}]
        """
    }

    static func make() async throws -> Runs {
        let directory = NSTemporaryDirectory() + "podbench-verdicts-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let db = directory + "/r.sqlite"
        var runs: [String: (Int64, Int32, String)] = [:]
        func run(_ outcome: String, scenario: String?, _ extra: [String], with others: [String] = []) async throws {
            var arguments = ["run"]
            if let scenario {
                let folder = directory + "/\(outcome)"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try scenario.write(toFile: folder + "/verdict.yaml", atomically: true, encoding: .utf8)
                for other in others {
                    try FileManager.default.copyItem(atPath: repository.appendingPathComponent("Scenarios/\(other).yaml").path, toPath: folder + "/\(other).yaml")
                }
                arguments += ["all", "--scenarios", folder]
            }
            let result = try await podbenchRun(arguments + extra + ["--host", "\(outcome)-host", "--db", db])
            let id = try DatabaseQueue(path: db).readSync { try Int64.fetchOne($0, sql: "SELECT max(id) FROM run") } ?? 0
            runs[outcome] = (id, result.status, result.output + result.error)
        }
        // With a connect latency and a throughput, so that every panel of the dashboard has data.
        try await run("passed", scenario: hostnameScenario(name: "verdict", level: "MUST"), [], with: ["abstract-socket", "localhost-throughput"])
        try await run("warnings", scenario: hostnameScenario(name: "elsewhere", level: "SHOULD"), [])
        try await run("failed", scenario: hostnameScenario(name: "elsewhere", level: "MUST"), [])
        try await run("error", scenario: hostnameScenario(name: "verdict", level: "MUST"), ["--probe", directory + "/no-such-probe"])
        // A baseline far faster than any real round trip, which the real run then regresses from.
        let store = try ResultStore(path: db)
        var history = SyntheticHistory(seed: 25)
        let scenarios = try ScenarioLoader.load(paths: [repository.appendingPathComponent("Scenarios/ipc-message-queue.yaml").path])
        var fingerprint = SyntheticHistory.fingerprint
        fingerprint.placement = .free
        let baseline = try SyntheticHistory.write(scenarios.map { history.result(of: $0, slowdown: 0.01) }, to: store, fingerprint: fingerprint, host: "regressed-host")
        try store.setBaseline(runId: baseline)
        // The floor under the regressed run's figures: the pod's overhead over plain processes.
        let floor = try await podbenchRun(["run", "ipc-message-queue", "--runtime", "host", "--placement", "free", "--host", "regressed-host", "--db", db])
        #expect(floor.status == 0, "\(floor.output)\(floor.error)")
        try await run("regressed", scenario: nil, ["ipc-message-queue", "--placement", "free", "--fail-on-regression"])
        return Runs(directory: directory, database: db, runs: runs.mapValues { (id: $0.0, status: $0.1, output: $0.2) })
    }

    static let expected: [(outcome: String, status: Int32, label: String)] = [
        ("passed", 0, "passed"), ("warnings", 0, "passed with warnings"), ("failed", 1, "failed"), ("regressed", 1, "regressed"), ("error", 3, "error"),
    ]

    @Test func eachRunExitsWithItsOutcomesStatusAndItsTerminalSaysSo() async throws {
        let made = try await Self.made.value
        for (outcome, status, label) in Self.expected {
            let run = try #require(made.runs[outcome])
            #expect(run.status == status, "\(outcome): \(run.output)")
            #expect(run.output.contains("podbench: run \(run.id) \(label)"), "\(outcome): \(run.output)")
            let report = try await podbenchRun(["report", "--run", "\(run.id)", "--db", made.database])
            #expect(report.output.contains("podbench: run \(run.id) \(label)"), "\(outcome): \(report.output)")
        }
        // The gate's line, as report prints it, after the run too.
        #expect(made.runs["regressed"]?.output.contains("against baseline run ") == true)
    }

    @Test func jsonHTMLAndMarkdownSayTheOutcome() async throws {
        let made = try await Self.made.value
        for (outcome, status, label) in Self.expected {
            let run = try #require(made.runs[outcome])
            let json = try await podbenchRun(["report", "--run", "\(run.id)", "--json", "--db", made.database])
            let document = try #require(JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
            let stored = try #require((document["runs"] as? [[String: Any]])?.first)
            #expect(stored["outcome"] as? String == outcome, "\(outcome): \(stored["outcome"] ?? "none")")
            #expect(stored["exitStatus"] as? Int == Int(status))
            let html = made.directory + "/\(outcome).html"
            _ = try await podbenchRun(["report", "--run", "\(run.id)", "--html", html, "--db", made.database])
            let page = try String(contentsOfFile: html, encoding: .utf8)
            #expect(page.contains("\">\(label)</span></h1>"), "\(outcome)")
            let markdown = try await podbenchRun(["report", "--run", "\(run.id)", "--markdown", "--db", made.database])
            #expect(markdown.output.contains("podbench run \(run.id): \(label)"), "\(outcome): \(markdown.output.prefix(200))")
        }
        let regressed = try String(contentsOfFile: made.directory + "/regressed.html", encoding: .utf8)
        #expect(regressed.contains("regressed metric"), "the badge's counts say what regressed")
    }

    /// JUnit as sonobuoy reads it (a plugin fails on any `failure`), as GitLab does (a test is
    /// its class and name: no two alike) and with the run's outcome in its properties.
    @Test func junitFailsExactlyTheRunsThatExitOne() async throws {
        let made = try await Self.made.value
        let reader = """
            import sys
            from junitparser import JUnitXml, Failure, Error, Skipped
            xml = JUnitXml.fromfile(sys.argv[1])
            seen, failed, errored, duplicate = set(), False, False, False
            for suite in xml:
                for case in suite:
                    key = (case.classname, case.name)
                    duplicate |= key in seen
                    seen.add(key)
                    failed |= any(isinstance(r, Failure) for r in case.result)
                    errored |= any(isinstance(r, Error) for r in case.result)
            print(("failed" if failed else "passed") + (" errored" if errored else "") + (" duplicate" if duplicate else ""))
            """
        let script = made.directory + "/sonobuoy-reads.py"
        try reader.write(toFile: script, atomically: true, encoding: .utf8)
        for (outcome, status, _) in Self.expected {
            let run = try #require(made.runs[outcome])
            let junit = made.directory + "/\(outcome).xml"
            _ = try await podbenchRun(["report", "--run", "\(run.id)", "--junit", junit, "--db", made.database])
            let read = try await runCommand("/usr/bin/env", ["python3", script, junit])
            let verdict = read.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(verdict.hasPrefix(status == 1 ? "failed" : "passed"), "\(outcome): \(verdict) \(read.error)")
            #expect(verdict.contains("errored") == (status == 3), "\(outcome): \(verdict)")
            #expect(!verdict.contains("duplicate"), "\(outcome)")
            let text = try String(contentsOfFile: junit, encoding: .utf8)
            #expect(text.contains("<property name=\"podbench.outcome\" value=\"\(outcome)\"/>"), "\(outcome)")
            // Each check its own time; the metrics in the test cases, where GitLab shows them.
            #expect(text.contains("name=\"uts.hostname [") || outcome == "regressed" || outcome == "error")
            #expect(!text.contains(#"name="namespace.net [MUST]" time="0.000""#) || outcome == "error", "\(outcome): checks have their time")
            if outcome == "passed" { #expect(text.contains("source: net-abstract/client\nmetrics:\nabstract.connect"), "a check's case lists its container's metrics") }
        }
        // A matrix in one file (a run per placement): every run's cases apart.
        let matrix = made.directory + "/matrix.xml"
        let run = try await podbenchRun(["run", "shared-hostname", "--placement", "cross-cpu,same-cpu", "--junit", matrix, "--db", made.directory + "/matrix.sqlite"])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        let read = try await runCommand("/usr/bin/env", ["python3", script, matrix])
        #expect(read.output.trimmingCharacters(in: .whitespacesAndNewlines) == "passed", "\(read.output)")
    }

    // MARK: The real clients of the series

    /// A server started for a test on 127.0.0.1, stopped by its pid.
    final class Server {
        let pid: Int32
        let port: Int
        init(_ executable: String, _ arguments: (Int) -> [String], ready path: String) async throws {
            let port = Int.random(in: 20_000...40_000)
            let started = try await runCommand("/bin/bash", ["-c", #"exec "$@" >/dev/null 2>&1 & echo $!"#, "bash", executable] + arguments(port))
            pid = try #require(Int32(started.output.trimmingCharacters(in: .whitespacesAndNewlines)))
            self.port = port
            for _ in 0..<100 {
                if try await Self.get("http://127.0.0.1:\(port)\(path)").status == 0 { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("\(executable) did not come up on port \(port)")
        }
        deinit { kill(pid, SIGTERM) }

        static func get(_ url: String) async throws -> Invocation {
            try await runCommand("/usr/bin/curl", ["--silent", "--fail", "--max-time", "10", url])
        }
    }

    /// The series of every run: promtool checks the text format and backfills from OpenMetrics;
    /// node_exporter reads the textfile without a scrape error; the Pushgateway takes each
    /// run's push; a Prometheus server scraping both answers every query of the dashboard, and
    /// says each run's outcome and exit status.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus"), "needs Debian's prometheus, prometheus-node-exporter and prometheus-pushgateway (scripts/setup-debian)"))
    func prometheusAndItsToolsReadEveryOutcome() async throws {
        let made = try await Self.made.value
        let textfiles = made.directory + "/textfile"
        try FileManager.default.createDirectory(atPath: textfiles, withIntermediateDirectories: true)
        let prom = textfiles + "/podbench.prom"
        let text = try await podbenchRun(["report", "--last", "10", "--prometheus", "--db", made.database])
        try text.output.write(toFile: prom, atomically: true, encoding: .utf8)
        let check = try await runCommand("/bin/bash", ["-c", #"promtool check metrics < "$1""#, "bash", prom])
        #expect(check.status == 0, "\(check.output)\(check.error)")
        let openmetrics = try await podbenchRun(["report", "--last", "10", "--openmetrics", "--db", made.database])
        try openmetrics.output.write(toFile: made.directory + "/history.om", atomically: true, encoding: .utf8)
        let backfill = try await runCommand("/usr/bin/promtool", ["tsdb", "create-blocks-from", "openmetrics", made.directory + "/history.om", made.directory + "/blocks"])
        #expect(backfill.status == 0, "\(backfill.output)\(backfill.error)")

        let exporter = try await Server("/usr/bin/prometheus-node-exporter", { ["--web.listen-address=127.0.0.1:\($0)", "--collector.disable-defaults", "--collector.textfile", "--collector.textfile.directory=\(textfiles)"] }, ready: "/metrics")
        let scraped = try await Server.get("http://127.0.0.1:\(exporter.port)/metrics").output
        #expect(scraped.contains("node_textfile_scrape_error 0"), "\(scraped.prefix(2000))")
        #expect(scraped.contains("podbench_run_outcome{"), "the samples are there")

        let gateway = try await Server("/usr/bin/prometheus-pushgateway", { ["--web.listen-address=127.0.0.1:\($0)"] }, ready: "/-/ready")
        for (outcome, _, _) in Self.expected {
            let run = try #require(made.runs[outcome])
            let push = try await podbenchRun(["report", "--run", "\(run.id)", "--pushgateway", "http://127.0.0.1:\(gateway.port)", "--db", made.database])
            #expect(push.status == 0 && push.error.contains("pushed run \(run.id) to group runtime=local"), "\(outcome): \(push.error)")
        }
        // The host run under the regressed one is a group of its own: neither replaces the other.
        let floor = try await podbenchRun(["report", "--runtime", "host", "--pushgateway", "http://127.0.0.1:\(gateway.port)", "--db", made.database])
        #expect(floor.status == 0 && floor.error.contains("to group runtime=host runtime_class=default placement=free host=regressed-host"), "\(floor.error)")

        let data = made.directory + "/prometheus"
        let config = made.directory + "/prometheus.yml"
        try """
            global: {scrape_interval: 1s}
            scrape_configs:
              - job_name: node
                static_configs: [{targets: ['127.0.0.1:\(exporter.port)']}]
              - job_name: pushgateway
                honor_labels: true
                static_configs: [{targets: ['127.0.0.1:\(gateway.port)']}]
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let prometheus = try await Server("/usr/bin/prometheus", { ["--config.file=\(config)", "--storage.tsdb.path=\(data)", "--web.listen-address=127.0.0.1:\($0)"] }, ready: "/-/ready")
        func query(_ expression: String) async throws -> [[String: Any]] {
            let answer = try await runCommand("/usr/bin/curl", ["--silent", "--max-time", "10", "--data-urlencode", "query=\(expression)", "http://127.0.0.1:\(prometheus.port)/api/v1/query"])
            let document = try #require(JSONSerialization.jsonObject(with: Data(answer.output.utf8)) as? [String: Any], "\(expression): \(answer.output)")
            #expect(document["status"] as? String == "success", "\(expression): \(answer.output)")
            return ((document["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
        }
        // Both targets scraped: the pushed groups' series with job "podbench", the textfile's with job "node".
        for _ in 0..<100 where try await query(#"count(podbench_run_outcome{job="podbench"}) and count(podbench_run_outcome{job="node"})"#).isEmpty {
            try await Task.sleep(for: .milliseconds(200))
        }
        let groups = try await query(#"podbench_run_info{job="podbench", host="regressed-host"}"#)
        #expect(Set(groups.compactMap { ($0["metric"] as? [String: String])?["runtime"] }) == ["host", "local"], "\(groups)")
        for (outcome, status, _) in Self.expected {
            for job in ["node", "podbench"] {
                let said = try await query(#"podbench_run_outcome{job="\#(job)", host="\#(outcome)-host"} == 1"#)
                let outcomes = said.compactMap { ($0["metric"] as? [String: String])?["outcome"] }
                #expect(outcomes.contains(outcome), "\(job) \(outcome): \(said)")
                let exit = try await query(#"podbench_run_exit_code{job="\#(job)", host="\#(outcome)-host"}"#)
                let codes = exit.compactMap { ($0["value"] as? [Any])?.last as? String }
                #expect(codes.contains("\(status)"), "\(job) \(outcome): \(exit)")
            }
        }
        // Every query of the dashboard returns data, its variables at "All".
        let dashboard = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: repository.appendingPathComponent("docs/grafana/podbench-dashboard.json"))) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let annotations = ((dashboard["annotations"] as? [String: Any])?["list"] as? [[String: Any]]) ?? []
        let expressions = panels.flatMap { panel in ((panel["targets"] as? [[String: Any]]) ?? []).compactMap { $0["expr"] as? String }.map { (panel["title"] as? String ?? "", $0) } }
            + annotations.compactMap { annotation in (annotation["expr"] as? String).map { ("annotation", $0) } }
        #expect(expressions.count >= 19)
        for (title, expression) in expressions {
            var filled = expression
            // The longest names first: $runtime is the beginning of $runtime_class.
            for name in ["runtime_class", "placement", "scenario", "instance", "runtime", "host", "job"] { filled = filled.replacingOccurrences(of: "$\(name)", with: ".*") }
            let result = try await query(filled)
            #expect(!result.isEmpty, "\(title): \(filled) returned nothing")
        }
        withExtendedLifetime((exporter, gateway, prometheus)) {}
    }
}
