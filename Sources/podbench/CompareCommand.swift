import ArgumentParser
import PodbenchKit

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
    @Flag(name: .long, help: "Judge the absolute figures even where both runs were calibrated (run --calibrate), not the pod's overhead over its host twin.") var absolute = false
    @Flag(name: .long, help: "Print the comparison as JSON (the JSON report's comparison; null when there is nothing to compare with).") var json = false
    @Option(name: .long, help: ArgumentHelp("Tolerance for every metric, overriding the scenarios' (percent).", valueName: "pct")) var tolerance: PlainDecimal?

    func validate() throws {
        try usage { try FlagValues.validateTolerance(tolerance?.value) }
    }

    func status() async throws -> ExitStatus {
        var task = CompareTask()
        task.base = base
        task.new = new
        task.tolerance = tolerance?.value
        task.failOnRegression = failOnRegression
        task.all = all
        task.absolute = absolute
        task.json = json
        return try task.run(store.database)
    }
}
