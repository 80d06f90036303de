import ArgumentParser
import PodbenchKit

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

    @Option(name: .long, help: ArgumentHelp("Measure N times longer: every probe's timed rounds, connects and lines, its waits for peers, and the timeouts, times N (nightly runs).", valueName: "N"))
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

    /// What the flags ask.
    private var task: RunTask {
        var task = RunTask()
        task.names = names
        task.tags = tagOptions.selection
        task.scenarioDirectory = scenarioOptions.scenarios
        task.database = store.database
        task.runtime = runtimeOptions.flags
        task.scale = scale
        task.timeout = timeout
        task.repetitions = `repeat`
        task.placement = placement
        task.cpuIdle = cpuIdle
        task.host = host
        task.reports = reports.flags
        task.failOnRegression = failOnRegression
        task.tolerance = tolerance?.value
        task.verbose = verbose
        return task
    }

    func validate() throws {
        try usage(task.validate)
    }

    func status() async throws -> ExitStatus {
        try await task.run()
    }
}
