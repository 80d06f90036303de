import Foundation
import FoundationXML
import PodbenchCore
import PodbenchReport
import PodbenchStore
import PodbenchSystem
import PodbenchTestSupport
import Testing

@Suite struct ReportFormatTests {
    /// Markup, quotes, an ampersand, backticks, Markdown emphasis and a table pipe.
    static let hostile = "<script>alert(\"x\")</script> & 'q' `a_b` | *c*"
    /// Escapes that would recolour or retitle a terminal.
    static let terminalHostile = "evil\u{1B}[31m\u{1B}]0;pwned\u{7}"

    /// Two runs whose scenario name, check name, message, source, metric names and a unit all
    /// carry `name`; the check passed in the first and fails in the second, so the comparison
    /// lists it too.
    func hostileReport(_ name: String = hostile) throws -> (TestDatabase, Report) {
        let database = try TestDatabase()
        var history = SyntheticHistory(seed: 3)
        var result = history.result(of: namedScenario("evil", check: "c"))
        result.scenario = name
        var throughput = history.metric("bulk " + name, source: name, median: 1000)
        throughput.unit = name
        result.metrics = [history.metric(name, source: name, median: 1000), throughput]
        result.checks = [CheckResult(name: name, level: .must, passed: true, message: name, source: name)]
        try database.store.writeRun([result], host: name)
        result.checks = [CheckResult(name: name, level: .must, passed: false, message: name, source: name)]
        result.status = .fail
        try database.store.writeRun([result], host: name, status: .failed)
        try database.store.setBaseline(runId: 1)
        let report = try ReportBuilder(store: database.store, generator: "podbench test").build(RunFilter())
        #expect(report.comparison?.conformanceChanges.count == 1 && report.trends.first?.points.count == 2, "the comparison and trend sections are rendered too")
        return (database, report)
    }

    @Test func markupFromTheDatabaseComesOutEscapedInHTML() throws {
        let (_, report) = try hostileReport()
        let html = HTMLReport().render(report)
        #expect(!html.contains("<script"))
        #expect(!html.contains("'q'"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"))
        // The unit, in every figure of the table (min included).
        #expect(html.contains(" &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; `a_b` | *c*</td></tr><tr><th>p50</th>"))
        #expect(html.contains("Content-Security-Policy"))
    }

    @Test func markupFromTheDatabaseComesOutEscapedInMarkdown() throws {
        let (_, report) = try hostileReport()
        let markdown = MarkdownReport().render(report)
        #expect(!markdown.contains("<script"))
        #expect(markdown.contains("&lt;script&gt;"))
        // Table rows keep their columns: no raw pipe from the data.
        #expect(MarkdownText.escape("a|b\nc") == "a\\|b c")
        #expect(!markdown.contains("| " + Self.hostile))
    }

    /// GitHub's renderer (cmark-gfm, raw HTML let through as GitHub lets `<code>` and
    /// `<details>` through) shows every name as it is, and no tag from the data.
    @Test func markdownRenderedByCmarkGFMShowsTheNamesAsTheyAre() throws {
        let (_, report) = try hostileReport()
        let html = try renderGFM(MarkdownReport().render(report))
        #expect(!html.contains("<script"))
        #expect(!html.contains("\\_") && !html.contains("&amp;lt;"), "no escape shows")
        // As cmark writes text: & < > " as entities, the rest as it is.
        let shown = Self.hostile.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        #expect(html.contains("MUST <code>\(shown)</code> fail: \(shown)</li>"), "the failed check in the problems")
        #expect(html.contains("<li>❌ \(shown) <code>\(shown)</code>: pass → fail</li>"), "the changed check in the comparison")
        #expect(html.contains("<td>\(shown)</td>\n<td>bulk \(shown) (\(shown))</td>"), "a name with a pipe stays in its cell")
        #expect(html.contains(try Regex("<td align=\"right\">[0-9]+ " + NSRegularExpression.escapedPattern(for: shown) + "</td>")), "the unit")
    }

    /// Scenario, check, metric and source names and units come from scenario files and probes:
    /// none of their control characters reaches the terminal.
    @Test func theTerminalReportMakesNamesSourcesAndUnitsSafe() throws {
        let (_, report) = try hostileReport(Self.terminalHostile)
        for console in [Console(isTerminal: false), Console(isTerminal: true, environment: [:])] {
            let text = TerminalReport(console: console).render(report)
            #expect(!text.contains("\u{7}"))
            #expect(!text.contains("\u{1B}]"))
            #expect(!text.contains("evil\u{1B}"))
            #expect(text.contains("evil\u{FFFD}[31m\u{FFFD}]0;pwned\u{FFFD}"))
        }
        let plain = TerminalReport(console: Console(isTerminal: false)).render(report)
        #expect(!plain.contains("\u{1B}"))
        let safe = Self.terminalHostile.terminalSafe
        #expect(plain.contains("  \(safe)\n    \(safe) "), "the metric under its source")
        #expect(plain.contains(try Regex("[0-9]+ " + NSRegularExpression.escapedPattern(for: safe))), "the unit")
        #expect(plain.contains(" \(safe) (\(safe)): \(safe)"), "the check's source and evidence")
    }

    @Test func junitIsWellFormedAndCarriesTheNamesIntact() throws {
        let (_, report) = try hostileReport()
        let xml = JUnitReport().render(report)
        #expect(!xml.contains("<script"))
        let names = try XMLNames(xml)
        #expect(names.suites.contains("local.default.free." + Self.hostile))
        #expect(names.cases.contains(Self.hostile + " [MUST]"))
    }

    @Test func jsonCarriesTheSchemaAndTheNamesIntact() throws {
        let (_, report) = try hostileReport()
        let object = try #require(JSONSerialization.jsonObject(with: Data(try JSONReport().render(report).utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "podbench.report/v1")
        let runs = try #require(object["runs"] as? [[String: Any]])
        let scenario = try #require((runs.last?["scenarios"] as? [[String: Any]])?.first)
        #expect(scenario["name"] as? String == Self.hostile)
        let comparison = try #require(object["comparison"] as? [String: Any])
        #expect(comparison["baseRun"] as? Int == 1 && comparison["againstBaseline"] as? Bool == true)
    }

    @Test func controlCharactersDoNotReachXML() {
        #expect(HTML.escape("a\u{1}b\u{1B}[31m") == "a\u{FFFD}b\u{FFFD}[31m")
    }

    /// `db export --output`: each run goes to disk as it is made (an unnamed file beside the
    /// target grows line by line, and nothing shows in the directory meanwhile), and the
    /// target appears whole at the end.
    @Test func anExportIsStreamedRunByRunAndAppearsWhole() throws {
        let database = try TestDatabase()
        var history = SyntheticHistory(seed: 15)
        let scenarios = try repositoryScenarios("shared-volume")
        for _ in 0..<3 { try history.writeRun(scenarios, to: database.store, fingerprint: SyntheticHistory.fingerprint, count: 100) }
        let directory = database.path("export")
        let target = directory + "/runs.jsonl"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var sizes: [Int] = []
        var written = 0
        try ReportFile.stream(to: target) { write in
            try JSONReport.export(database.store, batch: 2) { line in
                try write(line)
                written += line.utf8.count
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty, "nothing shows until the target appears whole")
                // The unnamed file, open in this process: /proc names it `DIR/#INODE (deleted)`.
                let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter {
                    ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)) ?? "").hasPrefix(directory + "/#")
                }
                #expect(open.count == 1)
                var info = stat()
                sizes.append(open.first.map { stat("/proc/self/fd/" + $0, &info) == 0 ? Int(info.st_size) : -1 } ?? -1)
            }
        }
        #expect(sizes.count == 3 && sizes.last == written && sizes == sizes.sorted() && Set(sizes).count == 3, "on disk as it is written: \(sizes)")
        let lines = try String(contentsOfFile: target, encoding: .utf8).split(separator: "\n")
        #expect(try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["id"] as? Int } == [1, 2, 3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["runs.jsonl"])
    }

    @Test func aStreamThatFailsLeavesTheTargetAsItWas() throws {
        let database = try TestDatabase()
        let target = database.path("out/runs.jsonl")
        try FileManager.default.createDirectory(atPath: database.path("out"), withIntermediateDirectories: true)
        try ReportFile.write("before\n", to: target)
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try ReportFile.stream(to: target) { write in
                try write("half\n")
                throw Interrupted()
            }
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "before\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: database.path("out")) == ["runs.jsonl"])
    }

    @Test func aCheckThatFailsInSomeRepetitionsIsFlakyNotFailed() throws {
        let database = try TestDatabase()
        let scenario = try #require(try repositoryScenarios("ipc-message-queue").first)
        var history = SyntheticHistory(seed: 5)
        let runId = try database.store.beginRun(runtime: "local", host: "h", fingerprint: SyntheticHistory.fingerprint, repetitions: 3)
        for repetition in 1...3 {
            var result = history.result(of: scenario, failing: repetition == 2 ? ["sysv.in-order", "sysv.all-consumed"] : ["sysv.all-consumed"])
            result.repetition = repetition
            try database.store.save(result, runId: runId)
        }
        try database.store.finishRun(runId, status: .failed)
        let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter())
        let folded = try #require(report.latest?.scenarios.first)
        #expect(folded.repetitions == 3)
        #expect(folded.checks.first { $0.name == "sysv.in-order" }?.outcome == .flaky)
        #expect(folded.checks.first { $0.name == "sysv.in-order" }?.failures == 1)
        #expect(folded.checks.first { $0.name == "sysv.all-consumed" }?.outcome == .fail)
        #expect(folded.checks.first { $0.name == "sysv.queue-created" }?.outcome == .pass)
        #expect(folded.status == .fail)
        #expect(folded.metrics.first?.count == 3 * 500, "the repetitions' histograms are merged")

        let xml = JUnitReport().render(report)
        #expect(xml.contains("type=\"flaky\""))
        #expect(xml.contains("outcome: flaky"))
        #expect(!xml.contains("<testcase") || !xml.contains("<properties><property name=\"podbench.outcome\""), "no properties on a test case (the schema has none)")
        #expect(HTMLReport().render(report).contains("class=\"cell flaky\""))
        let text = TerminalReport(console: Console(isTerminal: false)).render(report)
        #expect(text.contains("failed 1 of 3"))
    }

    @Test func theTerminalReportHasColourOnlyOnATerminalWithoutNO_COLOR() throws {
        let database = try TestDatabase()
        var history = SyntheticHistory(seed: 9)
        try database.store.writeRun([history.result(of: namedScenario("s", check: "c"), failing: ["c"])], status: .failed)
        let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter())
        let plain = TerminalReport(console: Console(isTerminal: false, environment: [:])).render(report)
        let noColor = TerminalReport(console: Console(isTerminal: true, environment: ["NO_COLOR": "1"])).render(report)
        let colored = TerminalReport(console: Console(isTerminal: true, environment: [:])).render(report)
        #expect(!plain.contains("\u{1B}["))
        #expect(!noColor.contains("\u{1B}["))
        #expect(colored.contains("\u{1B}[31m"))
        #expect(plain.contains("\n  fail MUST c"), "\(plain)")
        #expect(plain.contains("podbench: run 1 failed · 0 passed, 1 failed, 0 errors"))
    }
}

/// Markdown as GitHub renders it: cmark-gfm with its table extension, raw HTML let through
/// (Debian package `cmark-gfm`, installed by scripts/setup-debian).
func renderGFM(_ markdown: String) throws -> String {
    let cmark = try #require(["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm"].first { FileManager.default.isExecutableFile(atPath: $0) }, "cmark-gfm is missing: run scripts/setup-debian")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: cmark)
    process.arguments = ["--unsafe", "-e", "table"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(markdown.utf8))
    try input.fileHandleForWriting.close()
    let html = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return String(decoding: html, as: UTF8.self)
}

/// The suite and case names of a JUnit document, read by a real XML parser.
struct XMLNames {
    var suites: [String] = []
    var cases: [String] = []

    init(_ xml: String) throws {
        final class Delegate: NSObject, XMLParserDelegate {
            var suites: [String] = [], cases: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if name == "testsuite" { suites.append(attributes["name"] ?? "") }
                if name == "testcase" { cases.append(attributes["name"] ?? "") }
            }
        }
        let parser = XMLParser(data: Data(xml.utf8))
        let delegate = Delegate()
        parser.delegate = delegate
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
        suites = delegate.suites
        cases = delegate.cases
    }
}

@Suite struct TerminalSummaryTests {
    /// Checks not judged fold into one line, saying what their messages share; a reason for
    /// missing figures is said once, under the table, and its rows point to it.
    @Test func skipsFoldAndNotesAreSaidOnce() throws {
        let database = try TestDatabase()
        let skips = ["net", "ipc", "uts"].map {
            CheckResult(name: "namespace.\($0)", level: .must, outcome: .skip, message: "p/a has no \($0) namespace identity: stat failed on kernel 4.4.0; the channels' own checks decide", source: "p/a")
        }
        let waiting = "the pods ran beside other waiting scenarios' pods"
        let results = ["one", "two"].map { name in
            ScenarioResult(scenario: name, status: .pass, startedAt: Date(), duration: 1, checks: skips,
                           metrics: [MetricResult(name: "pod.start", unit: "ns", source: nil, values: [], invalid: waiting)])
        }
        let runId = try database.store.writeRun(results, status: .passed)
        let report = Report(runs: [try #require(try ReportLoader(store: database.store).load(runId: runId))], generator: "test")
        let wrapped = TerminalReport(console: Console(isTerminal: false, environment: [:]), allChecks: false).render(report.runs[0])
        #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= 120 }, "\(wrapped)")
        let text = wrapped.replacingOccurrences(of: "\n      ", with: " ")
        #expect(text.components(separatedBy: "  skip namespace.net, namespace.ipc, namespace.uts: p/a has no … namespace identity: stat failed on kernel 4.4.0; the channels' own checks decide").count == 3, "\(text)")
        #expect(text.components(separatedBy: waiting).count == 2, "said once: \(text)")
        #expect(text.contains("(1) not valid: \(waiting)"))
        #expect(text.components(separatedBy: "pod.start").count == 3)
    }
}
