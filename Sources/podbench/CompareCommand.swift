import ArgumentParser
import Foundation
import PodbenchReport
import PodbenchSystem

struct CompareCommand: CommandWithStatus {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two runs: conformance changes, then each metric's p50 and p99 with a verdict.",
        discussion: """
            Default: the newest run against its baseline (else the run before it on the same \
            runtime and host with the same fingerprint). With neither, as on a nightly job's \
            first night, there is nothing to compare: it says so and exits 0. A metric regressed \
            when its change exceeds the tolerance and the run-to-run noise, and a test on the two \
            histograms says the change is real (docs/regression-gate.md).
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The base run. Default: the baseline of NEW's runtime and host.") var base: Int64?
    @Argument(help: "The new run. Default: the newest.") var new: Int64?

    @Flag(name: .long, help: "Exit 1 when a metric regressed.") var failOnRegression = false
    @Flag(name: .long, help: "List unchanged metrics too.") var all = false
    @Flag(name: .long, help: "Print the comparison as JSON (the JSON report's comparison; null when there is nothing to compare with).") var json = false
    @Option(name: .long, help: ArgumentHelp("Tolerance for every metric, overriding the scenarios' (percent).", valueName: "pct")) var tolerance: PlainDecimal?

    func validate() throws {
        try ToleranceOption.validate(tolerance)
    }

    func status() async throws -> ExitStatus {
        let console = Console()
        let resultStore = try store.openForReading()
        let loader = ReportLoader(store: resultStore)
        func load(_ id: Int64?) throws -> RunReport {
            if let run = try loader.load(runId: id) { return run }
            guard let id else {
                throw PodbenchError(.notFound, "the database \(store.db) holds no runs; 'podbench run' stores some")
            }
            throw store.noSuchRun(id)
        }
        var newRun = try load(new)
        newRun.floor = try HostFloor.find(for: newRun, in: resultStore)
        let gate = RegressionGate(store: resultStore, tolerance: ToleranceOption.fraction(tolerance))
        let comparison: Comparison
        if let base {
            comparison = try Comparer(store: resultStore, tolerance: gate.tolerance).compare(base: try load(base), new: newRun)
        } else if let reference = try gate.evaluate(newRun) {
            comparison = reference
            if !comparison.againstBaseline {
                if !json { console.print(console.paint("no baseline older than run \(newRun.id) is set for \(newRun.run.runtime) on \(newRun.run.host): comparing with the run before it".terminalSafe, .dim)) }
            }
        } else {
            // The first run of a runtime, host and fingerprint (a nightly job's first night):
            // nothing to hold it against, so nothing regressed.
            if json {
                console.print("null")
                return .passed
            }
            console.print("podbench: run \(newRun.id) has nothing to compare with: no baseline of \(newRun.run.runtime) on \(newRun.run.host) is set and no earlier run there has its fingerprint (\(newRun.fingerprint.digest)); no regression gate this time. 'podbench baseline set RUN' sets a baseline.".terminalSafe)
            return .passed
        }
        console.print(json ? try ListingJSON.comparison(comparison) : ComparisonText(console: console, all: all).render(comparison))
        return failOnRegression && !comparison.regressions.isEmpty ? .failed : .passed
    }
}
