import Foundation
import Logging
import PodbenchCore
import PodbenchProbeInterface
import PodbenchSystem

/// What `podbench run` is asked, as flags give it: validated, mapped to a plan, carried out
/// and reported on.
public struct RunTask: Sendable {
    /// Scenario names, or `all`.
    public var names: [String] = []
    public var tags = TagSelection()
    /// The scenario directory; nil: `ScenarioCatalog.directory`'s default.
    public var scenarioDirectory: String?
    public var database = ResultsDatabase(ResultsDatabase.defaultPath)
    public var runtime = RuntimeFlags()
    /// How many times longer every probe measures, and every timeout.
    public var scale = 1
    /// Every scenario's timeout instead of its own (30s, 2m).
    public var timeout: String?
    /// How many times each scenario runs.
    public var repetitions = 1
    /// The placements, a comma list: a run each, in the order given.
    public var placement = Placement.standard.rawValue
    public var cpuIdle = CPUIdle.standard
    /// The name the run is stored under; nil: $PODBENCH_HOST, else this machine's host name.
    public var host: String?
    public var reports = ReportFileFlags()
    /// Whether a regressed metric fails the run.
    public var failOnRegression = false
    /// Every metric's tolerance in percent, overriding the scenarios'.
    public var tolerance: Double?
    /// Whether each container's output is logged.
    public var verbose = false

    public init() {}

    /// Throws what is wrong with the flags.
    public func validate() throws(UsageError) {
        guard (1...ScenarioLimits.largestScale).contains(scale) else {
            throw UsageError("--scale must be from 1 to \(ScenarioLimits.largestScale).")
        }
        if let timeout, !(ScenarioLimits.shortestTimeout...ScenarioLimits.longestTimeout).contains(DurationText.nanoseconds(timeout) ?? 0) {
            throw UsageError("--timeout '\(timeout)' is not a duration from 1s to 24h; write it like 30s, 90s or 2m.")
        }
        guard (1...100).contains(repetitions) else {
            throw UsageError("--repeat must be from 1 to 100.")
        }
        try FlagValues.validateTolerance(tolerance)
        if let host, host.isEmpty || host.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) || host.utf8.count > 253 {
            throw UsageError("--host must be a name of 1 to 253 characters without control characters; leave it out to store the run under this machine's host name.")
        }
        _ = try placements
        guard !names.isEmpty || !tags.tags.isEmpty else {
            throw UsageError("Name the scenarios to run, or 'all', or give --tag. 'podbench list' shows them.")
        }
    }

    /// `placement`'s placements, each once, in the order given.
    private var placements: [Placement] {
        get throws(UsageError) {
            var placements: [Placement] = []
            for word in FlagValues.commaList(placement) {
                guard let placement = Placement(rawValue: word) else {
                    throw UsageError("--placement '\(word)' is not a placement; use cross-cpu, same-cpu or free, or a comma list of them.")
                }
                if !placements.contains(placement) { placements.append(placement) }
            }
            guard !placements.isEmpty else { throw UsageError("--placement needs cross-cpu, same-cpu or free.") }
            return placements
        }
    }

    /// Runs the plan inside its done file, if any, and copies the database into sonobuoy's
    /// results; the run's exit status.
    public func run() async throws -> ExitStatus {
        let files = reports.files
        try files.check(nothingDone: "Nothing was run.")
        return try await DoneFile.around(reports.done) {
            let status = try await runPlan()
            if let directory = reports.sonobuoyResults {
                let copy = directory + "/podbench.sqlite"
                if !FileManager.default.fileExists(atPath: copy) { try database.open().copy(to: copy) }
            }
            return status
        }
    }

    private func runPlan() async throws -> ExitStatus {
        let selected = try ScenarioCatalog.select(names, tagged: tags, in: scenarioDirectory)
        let scenarios = try RunPlan.prepared(selected, scale: scale, timeout: timeout.flatMap(DurationText.nanoseconds))
        let verbose = verbose
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .info
            return handler
        }
        let resultStore = try database.open(mustExist: false)
        let console = Console()
        var plan = RunPlan(scenarios: scenarios, runtimes: runtime.runtimes(database: database.path, console: console), database: database.path)
        plan.repetitions = repetitions
        plan.placements = try placements
        plan.cpuIdle = cpuIdle
        plan.twin = runtime.twin(database: database.path, console: console)
        plan.host = host ?? ProcessInfo.processInfo.environment["PODBENCH_HOST"]
        plan.reports = reports.files
        plan.pushgateway = try reports.pushgatewayClient
        if reports.sonobuoy { plan.progress = SonobuoyProgress() }
        plan.failOnRegression = failOnRegression
        plan.tolerance = tolerance.map { $0 / 100 }
        return try await RunCoordinator(store: resultStore, console: console).run(plan).exitStatus
    }
}
