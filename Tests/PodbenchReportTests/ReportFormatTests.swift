import Foundation
import FoundationXML
import PodbenchCore
import PodbenchReport
import PodbenchStore
import PodbenchSynthetic
import Testing

@Suite struct ReportFormatTests {
    static let hostile = "<script>alert(\"x\")</script> & 'q'"

    /// A run whose scenario name, check name, message and source all carry markup and quotes.
    func hostileReport() throws -> (TestDatabase, Report) {
        let database = try TestDatabase()
        var history = SyntheticHistory(seed: 3)
        var result = history.result(of: namedScenario("evil", check: "c"))
        result.scenario = Self.hostile
        result.checks = [CheckResult(name: Self.hostile, level: .must, passed: false, message: Self.hostile, source: Self.hostile)]
        result.status = .fail
        result.metrics = [history.metric(Self.hostile, source: Self.hostile, median: 1000)]
        try database.store.writeRun([result], host: Self.hostile, status: "failed")
        try database.store.writeRun([result], host: Self.hostile, status: "failed")
        try database.store.setBaseline(runId: 1)
        let report = try ReportBuilder(store: database.store, generator: "podbench test").build(RunFilter())
        #expect(report.comparison != nil && report.trends.first?.points.count == 2, "the comparison and trend sections are rendered too")
        return (database, report)
    }

    @Test func markupFromTheDatabaseComesOutEscapedInHTML() throws {
        let (_, report) = try hostileReport()
        let html = HTMLReport().render(report)
        #expect(!html.contains("<script"))
        #expect(!html.contains("'q'"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"))
        #expect(html.contains("Content-Security-Policy"))
    }

    @Test func markupFromTheDatabaseComesOutEscapedInMarkdown() throws {
        let (_, report) = try hostileReport()
        let markdown = MarkdownReport().render(report)
        #expect(!markdown.contains("<script"))
        #expect(markdown.contains("&lt;script&gt;"))
        // Table rows keep their columns: no raw pipe from the data.
        #expect(MarkdownText.escape("a|b\nc") == "a\\|b c")
    }

    @Test func junitIsWellFormedAndCarriesTheNamesIntact() throws {
        let (_, report) = try hostileReport()
        let xml = JUnitReport().render(report)
        #expect(!xml.contains("<script"))
        let names = try XMLNames(xml)
        #expect(names.suites.contains(Self.hostile))
        #expect(names.cases.contains(Self.hostile))
    }

    @Test func jsonCarriesTheSchemaAndTheNamesIntact() throws {
        let (_, report) = try hostileReport()
        let object = try #require(JSONSerialization.jsonObject(with: Data(try JSONReport().render(report).utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "podbench.report/v1")
        let runs = try #require(object["runs"] as? [[String: Any]])
        let scenario = try #require((runs.last?["scenarios"] as? [[String: Any]])?.first)
        #expect(scenario["name"] as? String == Self.hostile)
        #expect(object["comparison"] != nil)
    }

    @Test func controlCharactersDoNotReachXML() {
        #expect(HTML.escape("a\u{1}b\u{1B}[31m") == "a\u{FFFD}b\u{FFFD}[31m")
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
        try database.store.finishRun(runId, status: "failed")
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
        #expect(xml.contains("<property name=\"podbench.outcome\" value=\"flaky\"/>"))
        #expect(HTMLReport().render(report).contains("class=\"cell flaky\""))
        let text = TerminalReport(console: Console(isTerminal: false)).render(report)
        #expect(text.contains("failed 1 of 3"))
    }

    @Test func theTerminalReportHasColourOnlyOnATerminalWithoutNO_COLOR() throws {
        let database = try TestDatabase()
        var history = SyntheticHistory(seed: 9)
        try database.store.writeRun([history.result(of: namedScenario("s", check: "c"), failing: ["c"])], status: "failed")
        let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter())
        let plain = TerminalReport(console: Console(isTerminal: false, environment: [:])).render(report)
        let noColor = TerminalReport(console: Console(isTerminal: true, environment: ["NO_COLOR": "1"])).render(report)
        let colored = TerminalReport(console: Console(isTerminal: true, environment: [:])).render(report)
        #expect(!plain.contains("\u{1B}["))
        #expect(!noColor.contains("\u{1B}["))
        #expect(colored.contains("\u{1B}[31m"))
        let checkRow = plain.split(separator: "\n").first { $0.hasPrefix("  c ") }.map { $0.split(separator: " ") }
        #expect(checkRow == ["c", "fail", "MUST"])
        #expect(plain.contains("podbench: 0 passed, 1 failed, 0 errors · run 1"))
    }
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
