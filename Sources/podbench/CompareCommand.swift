import ArgumentParser
import Foundation
import PodbenchKit
import PodbenchReport

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two runs: conformance changes, then each metric's p50 and p99 with a verdict.",
        discussion: """
            Default: the newest run against its baseline (else the run before it on the same
            runtime and host). A metric regressed when its change exceeds the tolerance and the
            run-to-run noise, and a test on the two histograms says the change is real
            (docs/regression-gate.md).
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The base run. Default: the baseline of NEW's runtime and host.") var base: Int64?
    @Argument(help: "The new run. Default: the newest.") var new: Int64?

    @Flag(name: .long, help: "Exit 1 when a metric regressed.") var failOnRegression = false
    @Flag(name: .long, help: "List unchanged metrics too.") var all = false
    @Option(name: .long, help: ArgumentHelp("Tolerance for every metric, overriding the scenarios' (percent).", valueName: "pct")) var tolerance: Double?

    func validate() throws {
        if let tolerance, !(1...1000).contains(tolerance) { throw ValidationError("--tolerance must be a percentage from 1 to 1000.") }
    }

    func run() throws {
        let console = Console()
        let resultStore = try store.open()
        let loader = ReportLoader(store: resultStore)
        func load(_ id: Int64?) throws -> RunReport {
            if let run = try loader.load(runId: id) { return run }
            console.error(id.map { "podbench: there is no run \($0) in \(store.db); 'podbench history' lists the runs" } ?? "podbench: the database holds no runs")
            throw ExitCode(Podbench.ExitStatus.badInput.rawValue)
        }
        let newRun = try load(new)
        let gate = RegressionGate(store: resultStore, tolerance: tolerance.map { $0 / 100 })
        let baseRun: RunReport
        if let base {
            baseRun = try load(base)
        } else if let reference = try gate.reference(for: newRun) {
            baseRun = reference.run
            if !reference.isBaseline { console.print(console.paint("no baseline set for \(newRun.run.runtime) on \(newRun.run.host): comparing with the run before".terminalSafe, .dim)) }
        } else {
            console.error("podbench: run \(newRun.id) has nothing to compare with: no baseline and no earlier run of \(newRun.run.runtime) on \(newRun.run.host)")
            throw ExitCode(Podbench.ExitStatus.badInput.rawValue)
        }
        let comparison = try Comparer(store: resultStore, tolerance: gate.tolerance).compare(base: baseRun, new: newRun)
        console.print(ComparisonText(console: console, all: all).render(comparison))
        if failOnRegression && !comparison.regressions.isEmpty { throw ExitCode(Podbench.ExitStatus.failed.rawValue) }
    }
}
