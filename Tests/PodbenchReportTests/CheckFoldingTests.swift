import Foundation
import PodbenchCore
import PodbenchReport
import PodbenchSystem
import Testing

/// Finding 4: results are folded by check and source per repetition.
@Suite struct CheckFoldingTests {
    func check(_ outcome: CheckResult.Outcome, source: String) -> CheckResult {
        CheckResult(name: "volume.medium", level: .must, outcome: outcome, message: "\(outcome) in \(source)", source: source)
    }

    @Test func twoContainersDisagreeingInOneRunAreTwoResultsNotAFlakyOne() throws {
        let database = try TestDatabase()
        var result = ScenarioResult(scenario: "medium", status: .fail, startedAt: Date(), duration: 1, checks: [check(.pass, source: "p/disk"), check(.fail, source: "p/memory")])
        result.repetition = 1
        let runId = try database.store.writeRun([result])
        let report = try #require(try ReportLoader(store: database.store).load(runId: runId))
        let checks = report.scenarios[0].checks
        #expect(checks.map(\.outcome) == [.pass, .fail])
        #expect(checks.map(\.source) == ["p/disk", "p/memory"])
        #expect(checks[1].failures == 1 && checks[1].reports == 1)
        let junit = JUnitReport().render(Report(runs: [report], generator: "test"))
        #expect(!junit.contains("flaky"))
        #expect(junit.contains("name=\"volume.medium (p/memory) [MUST]\""))
    }

    @Test func theSameContainerPassingOnceAndFailingOnceIsFlaky() throws {
        let database = try TestDatabase()
        var first = ScenarioResult(scenario: "medium", status: .pass, startedAt: Date(), duration: 1, checks: [check(.pass, source: "p/memory")])
        var second = ScenarioResult(scenario: "medium", status: .fail, startedAt: Date(), duration: 1, checks: [check(.fail, source: "p/memory")])
        first.repetition = 1
        second.repetition = 2
        let runId = try database.store.writeRun([first, second], repetitions: 2)
        let report = try #require(try ReportLoader(store: database.store).load(runId: runId))
        #expect(report.scenarios[0].checks.map(\.outcome) == [.flaky])
    }

    @Test func anInconclusiveCheckIsShownAsSuchInEveryFormat() throws {
        let database = try TestDatabase()
        var result = ScenarioResult(scenario: "pids", status: .error, startedAt: Date(), duration: 1, error: "not judged: pid.namespace",
                                    checks: [CheckResult(name: "pid.namespace", level: .must, outcome: .inconclusive, message: "the rendezvous on /sync was not shared", source: "p/a")],
                                    metrics: [MetricResult(name: "sysv.one-way", unit: "ns", source: "p/a", values: [], invalid: "clocks differ"),
                                              MetricResult(name: "tcp.round-trip", unit: "ns", source: "p/a", values: [])])
        result.repetition = 1
        let runId = try database.store.writeRun([result], status: .error)
        let report = Report(runs: [try #require(try ReportLoader(store: database.store).load(runId: runId))], generator: "test")
        #expect(report.runs[0].scenarios[0].checks[0].outcome == .inconclusive)
        let terminal = TerminalReport(console: Console(isTerminal: false, environment: [:]), allChecks: true).render(report.runs[0])
        #expect(terminal.contains("inconclusive"))
        #expect(terminal.contains("not valid: clocks differ"))
        #expect(terminal.contains("no samples"))
        #expect(!terminal.contains("0ns"))
        let junit = JUnitReport().render(report)
        #expect(junit.contains("<skipped message=\"inconclusive: the rendezvous on /sync was not shared\"/>"))
        #expect(junit.contains("tcp.round-trip (p/a): no samples"))
        let json = try JSONReport().render(report).replacingOccurrences(of: " ", with: "")
        #expect(json.contains("\"outcome\":\"inconclusive\""))
        #expect(json.contains("\"missing\":\"nosamples\""))
        let markdown = MarkdownReport().render(report)
        #expect(markdown.contains("not valid: clocks differ"))
        let html = HTMLReport().render(report)
        #expect(html.contains("class=\"cell inconclusive\""))
        #expect(html.contains("no samples"))
    }
}
