import PodbenchCore
import PodbenchProbeInterface
import PodbenchReport
import PodbenchSystem

/// What `podbench run` is asked to do: the commands map their flags to a plan, and
/// `RunCoordinator` carries it out.
public struct RunPlan: Sendable {
    /// The scenarios, as they are to run (scaled, timeouts overridden: `prepared`).
    public var scenarios: [Scenario]
    /// One runtime per variant of the matrix (OCI runtime, RuntimeClass): a run each, at each
    /// placement.
    public var runtimes: [any PodRuntime]
    /// The results database's file, beside which each run holds its lock.
    public var database: String
    /// How many times each scenario runs in a row.
    public var repetitions = 1
    /// Where the ends of measurements between containers run: a run each, per runtime.
    public var placements = [Placement.standard]
    /// The host runtime that measures each latency's twin (taking turns with it, else A-B-A) on
    /// this machine, where the pods run (`--calibrate` is a flag of those runtimes only); nil:
    /// not calibrated.
    public var twin: (any PodRuntime)?
    /// How idle CPUs wait during each run.
    public var cpuIdle = CPUIdle.standard
    /// The name runs are stored under; nil for this machine's.
    public var host: String?
    /// The report files to write at the end.
    /// A Pushgateway to push each run to, at the end (`PushgatewayClient`).
    public var pushgateway: PushgatewayClient?
    /// Where to post progress after each scenario (in sonobuoy).
    public var progress: SonobuoyProgress?
    public var reports = ReportFiles()
    /// Whether a metric that regressed against the reference fails the run (exit 1).
    public var failOnRegression = false
    /// The regression tolerance for every metric, overriding the scenarios' (a fraction).
    public var tolerance: Double?

    public init(scenarios: [Scenario], runtimes: [any PodRuntime], database: String) {
        self.scenarios = scenarios
        self.runtimes = runtimes
        self.database = database
    }

    /// `scenarios` as they are to run: scaled by `scale`, with `timeout` (nanoseconds) for
    /// every timeout when given; bad input when a scaled timeout is over the longest allowed.
    public static func prepared(_ scenarios: [Scenario], scale: Int, timeout: UInt64?) throws -> [Scenario] {
        try scenarios.map { scenario in
            var scaled = scenario.scaled(by: scale)
            if let timeout { scaled.timeout = timeout }
            guard scaled.timeout <= ScenarioLimits.longestTimeout else {
                throw PodbenchError(.badInput, "\(scenario.file): the timeout of \(scenario.name), \(DurationText.format(nanoseconds: Double(scenario.timeout))) × --scale \(scale), is over 24h; lower --scale or give --timeout")
            }
            return scaled
        }
    }
}

/// What a run came to, over every variant of its matrix.
public struct RunSummary: Sendable {
    /// A run per variant, in the plan's order (fewer when interrupted).
    public var outcomes: [Runner.Outcome]
    public var exitStatus: ExitStatus
}
