import Foundation
import GRDB
import PodbenchCore
import PodbenchStore
import PodbenchTestSupport
import Testing

/// `scenarios/split.yaml`: the seed's mc2 over two pods, so its MUST check fails (the two
/// containers share no IPC namespace).
func splitPodsScenario(in scratch: Scratch) throws {
    _ = try scratch.file("scenarios/split.yaml", """
        name: split-pods
        description: The seed's mc2 over two pods.
        pods:
          - name: a
            containers: [{name: producer, probe: sysv-producer, args: {count: 3, wait: 1s}}]
          - name: b
            containers: [{name: consumer, probe: sysv-consumer, args: {count: 3, wait: 1s}}]
        expect:
          - {check: sysv.all-consumed, level: MUST}
        """)
}

/// A scenario directory with one scenario that passes and split-pods, which fails.
func mixedScenarios(in scratch: Scratch) throws -> String {
    try splitPodsScenario(in: scratch)
    try FileManager.default.copyItem(at: repository.appendingPathComponent("Scenarios/ipc-message-queue.yaml"), to: scratch.url.appendingPathComponent("scenarios/ipc-message-queue.yaml"))
    return scratch.url.appendingPathComponent("scenarios").path
}

/// The host name podbench records runs under.
var thisHost: String {
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A new database at `db` holding a synthetic run of shared-volume for each start time, written
/// through the store's API; the store, for what a test sets next (a baseline).
@discardableResult
func sharedVolumeRuns(_ db: String, seed: UInt64, startedAt: [Date] = [Date()], host: String = "synthetic", count: Int = 500) throws -> ResultStore {
    let store = try ResultStore(path: db)
    var history = SyntheticHistory(seed: seed)
    let scenarios = try ScenarioLoader.load(paths: [repository.appendingPathComponent("Scenarios/shared-volume.yaml").path])
    for start in startedAt {
        try history.writeRun(scenarios, to: store, fingerprint: SyntheticHistory.fingerprint, host: host, startedAt: start, count: count)
    }
    return store
}

@Suite(.serialized) struct ReportCommandTests {
    @Test func aRunWritesItsReportsAndReportReadsThemBackFromTheDatabase() async throws {
        let scratch = try Scratch()
        let scenarios = try mixedScenarios(in: scratch)
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("out"), withIntermediateDirectories: true)
        let run = try await podbenchRun(["run", "all", "--scenarios", scenarios, "--db", db, "--junit", "out/junit.xml", "--html", "out/run.html", "--markdown", "out/summary.md",
                                         "--openmetrics", "out/podbench.prom"], in: scratch.url)
        #expect(run.status == 1)
        for file in ["out/junit.xml", "out/run.html", "out/summary.md", "out/podbench.prom"] {
            #expect(FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent(file).path), "\(file)")
        }
        // The run's file is what `report --openmetrics` prints for it, byte for byte.
        let metrics = try await podbenchRun(["report", "--db", db, "--openmetrics"], in: scratch.url)
        #expect(metrics.status == 0 && metrics.output.hasSuffix("\n# EOF\n"), "\(metrics.error)")
        #expect(metrics.output == (try String(contentsOf: scratch.url.appendingPathComponent("out/podbench.prom"), encoding: .utf8)))
        #expect(metrics.output.contains("scenario=\"split-pods\",check=\"sysv.all-consumed\""))

        let terminal = try await podbenchRun(["report", "--db", db], in: scratch.url)
        #expect(terminal.status == 0)
        #expect(terminal.output.contains("split-pods"))
        #expect(terminal.output.contains("sysv.all-consumed"))
        #expect(terminal.output.contains("podbench: run 1 failed · 1 passed, 1 failed, 0 errors"))

        // --html without a file writes the default one, at the end or before another option.
        let html = try await podbenchRun(["report", "--db", db, "--html"], in: scratch.url)
        #expect(html.status == 0)
        let page = try String(contentsOf: scratch.url.appendingPathComponent("Results/report.html"), encoding: .utf8)
        #expect(page.contains("split-pods") && page.contains("<svg"))
        try FileManager.default.removeItem(at: scratch.url.appendingPathComponent("Results/report.html"))
        let before = try await podbenchRun(["report", "--html", "--db", db], in: scratch.url)
        #expect(before.status == 0, "\(before.error)")
        #expect(FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent("Results/report.html").path))

        let json = try await podbenchRun(["report", "--db", db, "--json", "--scenario", "split-pods"], in: scratch.url)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect((runs.first?["scenarios"] as? [[String: Any]])?.map { $0["name"] as? String } == ["split-pods"])

        let markdown = try await podbenchRun(["report", "--db", db, "--markdown"], in: scratch.url)
        #expect(markdown.output.contains("## ❌ podbench run 1: failed"))

        let history = try await podbenchRun(["history", "--db", db], in: scratch.url)
        #expect(history.status == 0)
        #expect(history.output.split(separator: "\n").count == 2)
        #expect(history.output.contains("failed"))
    }

    @Test func repeatRunsEachScenarioAndReportsFoldTheRepetitions() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "ipc-message-queue", "--repeat", "3", "--host", "nightly-ci", "--db", db])
        #expect(run.status == 0)
        #expect(run.output.contains("PASS  ipc-message-queue #3"))
        let repetitions = try DatabaseQueue(path: db).readSync { db in try Int.fetchAll(db, sql: "SELECT repetition FROM scenarioResult ORDER BY id") }
        #expect(repetitions == [1, 2, 3])
        let report = try await podbenchRun(["report", "--db", db])
        #expect(report.output.contains("ipc-message-queue ×3"))
        // Stored under the name given, for CI runners whose host names change every job.
        let host = try DatabaseQueue(path: db).readSync { db in try String.fetchOne(db, sql: "SELECT host FROM run") }
        #expect(host == "nightly-ci")
        // The environment fingerprint, read from this machine.
        let fingerprint = try storedFingerprint(db)
        #expect(fingerprint["kernel"] as? String == kernelRelease())
        #expect(fingerprint["cpuCount"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
        #expect(["v1", "v2", "hybrid"].contains(fingerprint["cgroupVersion"] as? String ?? ""))
        #expect((fingerprint["cpuModel"] as? String ?? "unknown") != "unknown")
        #expect(fingerprint["runtime"] as? String == "local" && fingerprint["podbenchVersion"] as? String == "0.1.0")
        // The local runtime times its pods too: a sample of each per repetition.
        let starts = try DatabaseQueue(path: db).readSync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metric WHERE name = 'pod.start' AND count = 1") }
        #expect(starts == 3)
    }

    @Test func theJUnitFileReadByJunitparserMatchesTheDatabase() async throws {
        let scratch = try Scratch()
        let scenarios = try mixedScenarios(in: scratch)
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        _ = try await podbenchRun(["run", "all", "--scenarios", scenarios, "--db", db], in: scratch.url)
        let junit = scratch.url.appendingPathComponent("junit.xml").path
        let report = try await podbenchRun(["report", "--db", db, "--junit", junit], in: scratch.url)
        #expect(report.status == 0)

        let script = """
            import json, sys
            from junitparser import JUnitXml, Failure, Skipped, Error
            xml = JUnitXml.fromfile(sys.argv[1])
            counts = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
            for suite in xml:
                for case in suite:
                    counts["tests"] += 1
                    for result in case.result:
                        if isinstance(result, Failure): counts["failures"] += 1
                        elif isinstance(result, Skipped): counts["skipped"] += 1
                        elif isinstance(result, Error): counts["errors"] += 1
            print(json.dumps(counts))
            """
        let python = try await runCommand("/usr/bin/env", ["python3", "-c", script, junit])
        #expect(python.status == 0, "junitparser must be installed (scripts/setup-debian): \(python.error)")
        let counts = try #require(JSONSerialization.jsonObject(with: Data(python.output.utf8)) as? [String: Int])

        // A case per check and the gate's; a failure per failed MUST check; a failed SHOULD or
        // INFO check is a warning, skipped, as skips and inconclusive checks are.
        let fromDatabase = try DatabaseQueue(path: db).readSync { db in
            (
                tests: (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checkResult") ?? -1) + 1,
                failures: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checkResult WHERE outcome = 'fail' AND level = 'MUST'") ?? -1,
                skipped: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checkResult WHERE outcome IN ('skip', 'inconclusive') OR (outcome = 'fail' AND level != 'MUST')") ?? -1
            )
        }
        #expect(fromDatabase.failures >= 1)
        #expect(counts["tests"] == fromDatabase.tests)
        #expect(counts["failures"] == fromDatabase.failures)
        #expect(counts["skipped"] == fromDatabase.skipped)
        #expect(counts["errors"] == 0)
    }

    /// The JUnit file is valid against the schema Jenkins reads (and fails it when a test case
    /// carries properties, as the file once did); each suite carries the run's fingerprint and
    /// each test case its level and the scenario's tags in its name, and its level and source in
    /// its output.
    @Test func theJUnitFileIsValidAgainstJenkinsSchemaAndCarriesTheFingerprint() async throws {
        let schema = ProcessInfo.processInfo.environment["PODBENCH_JUNIT_XSD"] ?? "/usr/local/share/podbench-tests/junit-10.xsd"
        try #require(FileManager.default.fileExists(atPath: schema), "the JUnit schema is installed by scripts/setup-debian")
        let scratch = try Scratch()
        let scenarios = try mixedScenarios(in: scratch)
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        _ = try await podbenchRun(["run", "all", "--scenarios", scenarios, "--repeat", "2", "--db", db], in: scratch.url)
        let junit = scratch.url.appendingPathComponent("junit.xml").path
        let report = try await podbenchRun(["report", "--db", db, "--junit", junit], in: scratch.url)
        #expect(report.status == 0, "\(report.error)")
        let script = """
            import json, sys, xmlschema
            from junitparser import JUnitXml
            schema = xmlschema.XMLSchema(sys.argv[2])
            errors = [str(e.reason) for e in schema.iter_errors(sys.argv[1])]
            text = open(sys.argv[1]).read()
            tampered = text.replace("<system-out>level:", "<properties><property name='level' value='MUST'/></properties><system-out>level:", 1)
            suites = {}
            for suite in JUnitXml.fromfile(sys.argv[1]):
                suites[suite.name] = {"properties": {p.name: p.value for p in suite.properties()},
                                      "cases": {case.name: case.system_out for case in suite}}
            print(json.dumps({"errors": errors, "tamperedValid": schema.is_valid(tampered), "suites": suites}))
            """
        let python = try await runCommand("/usr/bin/env", ["python3", "-c", script, junit, schema])
        try #require(python.status == 0, "xmlschema and junitparser must be installed (scripts/setup-debian): \(python.error)")
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(python.output.utf8)) as? [String: Any])
        #expect((parsed["errors"] as? [String]) == [], "\(parsed["errors"] ?? "")")
        #expect(parsed["tamperedValid"] as? Bool == false, "the schema refuses properties on a test case")
        let suites = try #require(parsed["suites"] as? [String: [String: Any]])
        // Suites are named after the run's variant and the scenario.
        let queue = try #require(suites["local.default.cross-cpu.ipc-message-queue"], "\(suites.keys.sorted())")
        let properties = try #require(queue["properties"] as? [String: String])
        for key in ["podbench.runtime", "podbench.runtime-class", "podbench.kernel", "podbench.cgroup", "podbench.version", "podbench.placement", "podbench.fingerprint"] {
            #expect(!(properties[key] ?? "").isEmpty, "\(key): \(properties)")
        }
        #expect(properties["podbench.runtime"] == "local" && properties["podbench.placement"] == "cross-cpu" && properties["podbench.kernel"] == kernelRelease())
        #expect(properties["podbench.tags"] == "ipc,sysv,seed" && properties["podbench.repetitions"] == "2")
        let cases = try #require(queue["cases"] as? [String: String])
        #expect(cases.keys.contains("sysv.round-trip [MUST] [ipc] [sysv] [seed]"), "\(cases.keys.sorted())")
        #expect(cases["sysv.round-trip [MUST] [ipc] [sysv] [seed]"]?.hasPrefix("level: MUST\noutcome: pass\nsource: mc2/producer\nmetrics:\nsysv.round-trip (mc2/producer) [cross-cpu]: count ") == true, "\(cases)")
        let split = try #require(suites["local.default.cross-cpu.split-pods"]?["cases"] as? [String: String])
        #expect(split.contains { $0.key.hasSuffix("[MUST]") && $0.value.contains("outcome: fail") }, "\(split)")
    }

    @Test func compareAndTheRegressionGateExitOneOnARealSlowdown() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let scenarios = try ScenarioLoader.load(paths: [repository.appendingPathComponent("Scenarios/ipc-message-queue.yaml").path])
        var history = SyntheticHistory(seed: 7)
        do {
            let store = try ResultStore(path: db)
            for _ in 0..<4 { try history.writeRun(scenarios, to: store, fingerprint: SyntheticHistory.fingerprint, host: thisHost) }
            try history.writeRun(scenarios, to: store, fingerprint: SyntheticHistory.fingerprint, host: thisHost, slowdown: 2)
        }
        let baseline = try await podbenchRun(["baseline", "set", "1", "--db", db])
        #expect(baseline.status == 0)
        let show = try await podbenchRun(["baseline", "show", "--db", db])
        #expect(show.output.contains("run 1"))

        let compare = try await podbenchRun(["compare", "--db", db])
        #expect(compare.status == 0, "without --fail-on-regression a regression is reported, not fatal")
        #expect(compare.output.contains("regressed"))
        #expect(compare.output.contains("run 1 → run 5"))
        let gate = try await podbenchRun(["compare", "--db", db, "--fail-on-regression"])
        #expect(gate.status == 1)
        let steady = try await podbenchRun(["compare", "1", "4", "--db", db, "--fail-on-regression"])
        #expect(steady.status == 0, "\(steady.output)")
        let lenient = try await podbenchRun(["compare", "--db", db, "--fail-on-regression", "--tolerance", "1000"])
        #expect(lenient.status == 0, "a 2x slowdown is within a 1000% tolerance: \(lenient.output)")
        let all = try await podbenchRun(["compare", "1", "4", "--all", "--db", db])
        #expect(all.output.contains("unchanged") && !all.output.contains("--all lists them"))

        // A real run measured against a baseline a hundred times faster than this machine.
        do {
            let store = try ResultStore(path: db)
            let fast = try history.writeRun(scenarios, to: store, fingerprint: SyntheticHistory.fingerprint, host: thisHost, slowdown: 0.01)
            try store.setBaseline(runId: fast)
        }
        // The synthetic runs' metrics carry no placement: they ran free.
        let run = try await podbenchRun(["run", "ipc-message-queue", "--placement", "free", "--db", db, "--fail-on-regression"])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("regressed"))
        let clear = try await podbenchRun(["baseline", "clear", "--db", db])
        #expect(clear.status == 0)
        #expect(clear.output.contains("cleared the baseline of local on \(thisHost)"))
        let none = try await podbenchRun(["baseline", "show", "--db", db])
        #expect(none.output.contains("no baseline is set") && !none.output.contains("run "), "\(none.output)")
        let again = try await podbenchRun(["baseline", "clear", "--db", db])
        #expect(again.status == 0)
        #expect(again.output.contains("local on \(thisHost) had no baseline"))
    }

    /// A nightly job's first night: `compare --fail-on-regression` has nothing to hold the run
    /// against, says so and passes; run ids that do not exist are still bad input.
    @Test func compareWithNothingToCompareWithSaysSoAndPasses() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        try sharedVolumeRuns(db, seed: 12, host: thisHost)
        let first = try await podbenchRun(["compare", "--db", db, "--fail-on-regression"])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("run 1 has nothing to compare with") && first.output.contains("no regression gate this time"), "\(first.output)")
        for ids in [["7"], ["1", "7"], ["7", "1"]] {
            let missing = try await podbenchRun(["compare"] + ids + ["--db", db, "--fail-on-regression"])
            #expect(missing.status == 2)
            #expect(missing.error.contains("there is no run 7 in \(db); 'podbench history' lists the runs"), "\(missing.error)")
        }
    }

    /// A run that exists but that the other options leave out is not "no run N".
    @Test func reportOfARunTheSelectionLeavesOutSaysWhatIsMissing() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        try sharedVolumeRuns(db, seed: 13)
        let scenario = try await podbenchRun(["report", "--run", "1", "--scenario", "nope", "--db", db])
        #expect(scenario.status == 2)
        #expect(scenario.error.contains("run 1 has no scenario nope"), "\(scenario.error)")
        #expect(!scenario.error.contains("there is no run"))
        let runtime = try await podbenchRun(["report", "--run", "1", "--runtime", "podman", "--scenario", "a", "--scenario", "b", "--db", db])
        #expect(runtime.status == 2)
        #expect(runtime.error.contains("run 1 ran on runtime local, not podman and has none of the scenarios a, b"), "\(runtime.error)")
        let present = try await podbenchRun(["report", "--run", "1", "--scenario", "shared-volume", "--db", db])
        #expect(present.status == 0 && present.output.contains("shared-volume"))
        let missing = try await podbenchRun(["report", "--run", "9", "--scenario", "nope", "--db", db])
        #expect(missing.status == 2)
        #expect(missing.error.contains("there is no run 9 in \(db); 'podbench history' lists the runs"), "\(missing.error)")
    }

    @Test(arguments: [
        ["report", "--db", "/nonexistent/podbench.sqlite"],
        ["report", "--since", "yesterday-ish"],
        ["report", "--run", "999"],
        ["compare", "999"],
        ["compare", "--tolerance", "0.5"],
        ["baseline", "set", "999"],
        ["db", "prune"],
        ["report", "--json", "--markdown"],
    ])
    func badReportInputExitsTwo(_ arguments: [String]) async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        _ = try ResultStore(path: db)
        let invocation = try await podbenchRun(arguments.contains("--db") ? arguments : arguments + ["--db", db], in: scratch.url)
        #expect(invocation.status == 2)
        #expect(!invocation.error.isEmpty)
    }

    @Test func twoRunsWritingOneDatabaseAtOnceBothSucceed() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("shared.sqlite").path
        async let first = podbenchRun(["run", "ipc-message-queue", "shared-volume", "--db", db])
        async let second = podbenchRun(["run", "shared-volume", "ipc-message-queue", "--db", db])
        let (a, b) = try await (first, second)
        #expect(a.status == 0, "\(a.output)\(a.error)")
        #expect(b.status == 0, "\(b.output)\(b.error)")
        let queue = try DatabaseQueue(path: db)
        let statuses = try queue.readSync { db in try String.fetchAll(db, sql: "SELECT status FROM run ORDER BY id") }
        #expect(statuses == ["passed", "passed"])
        #expect(try queue.readSync { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scenarioResult") } == 4)
    }

    @Test func exportWritesARunPerLineAndPruneKeepsWhatItShould() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        try sharedVolumeRuns(db, seed: 8, startedAt: Array(repeating: Date(), count: 5), count: 100).setBaseline(runId: 2)
        let export = try await podbenchRun(["db", "export", "--db", db])
        let lines = export.output.split(separator: "\n")
        #expect(lines.count == 5)
        let first = try #require(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["id"] as? Int == 1)
        #expect(((first["scenarios"] as? [[String: Any]])?.first?["metrics"] as? [[String: Any]])?.first?["histogram"] != nil)

        let exported = scratch.url.appendingPathComponent("export/runs.jsonl").path
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("export"), withIntermediateDirectories: true)
        #expect(try await podbenchRun(["db", "export", "--output", exported, "--db", db]).status == 0)
        #expect(try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\n").count == 5)

        // The selection options, on history and report alike.
        let recent = try await podbenchRun(["history", "--since", "1d", "--db", db])
        #expect(recent.output.split(separator: "\n").count == 6)
        let future = try await podbenchRun(["history", "--since", "2999-01-01", "--db", db])
        #expect(future.output.contains("no runs match"))
        let elsewhere = try await podbenchRun(["history", "--runtime", "podman", "--db", db])
        #expect(elsewhere.output.contains("no runs match"))
        let lastTwo = try await podbenchRun(["report", "--last", "2", "--db", db])
        #expect(lastTwo.output.contains("· run 4 ·") && lastTwo.output.contains("· run 5 ·") && !lastTwo.output.contains("· run 3 ·"))

        let prune = try await podbenchRun(["db", "prune", "--keep", "2", "--db", db])
        #expect(prune.output.contains("deleted 2 runs"))
        let history = try await podbenchRun(["history", "--db", db])
        #expect(history.output.split(separator: "\n").dropFirst().map { $0.split(separator: " ")[0] } == ["2", "4", "5"])
    }

    @Test func pruneOlderThanDeletesOldRunsButTheBaselines() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        try sharedVolumeRuns(db, seed: 14, startedAt: [40.0, 30, 20, 10, 1].map { Date().addingTimeInterval(-$0 * 86_400) }, count: 100).setBaseline(runId: 1)
        let prune = try await podbenchRun(["db", "prune", "--older-than", "15", "--db", db])
        #expect(prune.status == 0)
        #expect(prune.output.contains("deleted 2 runs"), "\(prune.output)")
        let history = try await podbenchRun(["history", "--db", db])
        #expect(history.output.split(separator: "\n").dropFirst().map { $0.split(separator: " ")[0] } == ["1", "4", "5"])
        let none = try await podbenchRun(["db", "prune", "--older-than", "15", "--db", db])
        #expect(none.output.contains("deleted 0 runs"))
    }
}

extension DatabaseQueue {
    /// A read from async code without an async hop (GRDB prefers its async `read` there).
    func readSync<T>(_ value: (Database) throws -> T) throws -> T {
        try read(value)
    }
}
