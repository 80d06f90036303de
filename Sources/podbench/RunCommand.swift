import ArgumentParser
import Foundation
import Logging
import PodbenchCore
import PodbenchKit
import PodbenchProbeInterface
import PodbenchReport
import PodbenchRuntime
import PodbenchSystem

struct RunCommand: CommandWithStatus {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenarios and store their results.",
        discussion: "Prints a line per scenario as it finishes and a summary table; each result is committed to the database as it finishes."
    )

    @Argument(help: "Scenario names, or 'all' (with --tag, every scenario by default).")
    var names: [String] = []

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup(title: "Tags") var tagOptions: TagOptions
    @OptionGroup var store: StoreOptions

    @OptionGroup var runtimeOptions: RuntimeOptions

    @Option(name: .long, help: ArgumentHelp("Measure N times longer: every probe's timed rounds and connects, its waits for peers, and the timeouts, times N (nightly runs).", valueName: "N"))
    var scale = 1

    @Option(name: .long, help: ArgumentHelp("The name this run is stored under: baselines, trends and the gate group runs by runtime and host. Default: $PODBENCH_HOST, else this machine's host name (CI runners change theirs every job).", valueName: "name"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("Every scenario's timeout instead of its own (30s, 2m): the pods are stopped after it.", valueName: "duration"))
    var timeout: String?

    @Option(name: .long, help: ArgumentHelp("Run each scenario N times; a check that fails in some repetitions but not all is reported as flaky.", valueName: "N"))
    var `repeat` = 1

    @Option(name: .long, help: ArgumentHelp("Where the two ends of each measurement between containers run: cross-cpu (each pinned to a CPU of its own, the default), same-cpu (both pinned to one) or free (unpinned); a comma list runs each in turn.", valueName: "placement"))
    var placement = Placement.standard.rawValue

    @Option(name: .long, help: ArgumentHelp("How idle CPUs wait during the run: poll (the default: the kernel's CPU latency is held at 0 us, as cyclictest does, so that a wake-up across CPUs measures the channel and not an idle state's exit; needs root) or system (the machine's own idle states).", valueName: "mode"))
    var cpuIdle = CPUIdle.standard

    @OptionGroup var reports: ReportFileOptions

    @Flag(name: .long, help: "Exit 1 when a metric regressed against the baseline (else the run before), by the rule in docs/regression-gate.md.")
    var failOnRegression = false

    @Option(name: .long, help: ArgumentHelp("With --fail-on-regression: the tolerance for every metric, overriding the scenarios' (percent).", valueName: "pct"))
    var tolerance: PlainDecimal?

    @Flag(name: .shortAndLong, help: "Log each container's output.")
    var verbose = false

    func validate() throws {
        guard (1...ScenarioLimits.largestScale).contains(scale) else {
            throw ValidationError("--scale must be from 1 to \(ScenarioLimits.largestScale).")
        }
        if let timeout, !(ScenarioLimits.shortestTimeout...ScenarioLimits.longestTimeout).contains(DurationText.nanoseconds(timeout) ?? 0) {
            throw ValidationError("--timeout '\(timeout)' is not a duration from 1s to 24h; write it like 30s, 90s or 2m.")
        }
        guard (1...100).contains(`repeat`) else {
            throw ValidationError("--repeat must be from 1 to 100.")
        }
        try ToleranceOption.validate(tolerance)
        if let host, host.isEmpty || host.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) || host.utf8.count > 253 {
            throw ValidationError("--host must be a name of 1 to 253 characters without control characters; leave it out to store the run under this machine's host name.")
        }
        _ = try placements
        guard !names.isEmpty || !tagOptions.selection.tags.isEmpty else {
            throw ValidationError("Name the scenarios to run, or 'all', or give --tag. 'podbench list' shows them.")
        }
    }

    /// `--placement`'s placements, each once, in the order given.
    var placements: [Placement] {
        get throws {
            var placements: [Placement] = []
            for word in commaList(placement) {
                guard let placement = Placement(rawValue: word) else {
                    throw ValidationError("--placement '\(word)' is not a placement; use cross-cpu, same-cpu or free, or a comma list of them.")
                }
                if !placements.contains(placement) { placements.append(placement) }
            }
            guard !placements.isEmpty else { throw ValidationError("--placement needs cross-cpu, same-cpu or free.") }
            return placements
        }
    }

    func status() async throws -> ExitStatus {
        let files = reports.files
        try files.check(nothingDone: "Nothing was run.")
        return try await DoneFile.around(reports.done) {
            let status = try await run(files)
            if let directory = reports.sonobuoyResults {
                let copy = directory + "/podbench.sqlite"
                if !FileManager.default.fileExists(atPath: copy) { try store.open().copy(to: copy) }
            }
            return status
        }
    }

    /// Runs the plan; the run's exit status.
    private func run(_ files: ReportFiles) async throws -> ExitStatus {
        let scenarios = try RunPlan.prepared(scenarioOptions.select(names, tagged: tagOptions.selection), scale: scale, timeout: timeout.flatMap(DurationText.nanoseconds))
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .info
            return handler
        }
        let resultStore = try store.open(mustExist: false)
        let console = Console()
        var plan = RunPlan(scenarios: scenarios, runtimes: RuntimeRegistry.forRun(runtimeOptions.runtime, runtimeOptions.settings(database: store.db, console: console)), database: store.db)
        plan.repetitions = `repeat`
        plan.placements = try placements
        plan.cpuIdle = cpuIdle
        plan.host = host ?? ProcessInfo.processInfo.environment["PODBENCH_HOST"]
        plan.reports = files
        plan.pushgateway = try reports.pushgatewayClient
        if reports.sonobuoy { plan.progress = SonobuoyProgress() }
        plan.failOnRegression = failOnRegression
        plan.tolerance = ToleranceOption.fraction(tolerance)
        return try await RunCoordinator(store: resultStore, console: console).run(plan).exitStatus
    }
}
