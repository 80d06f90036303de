import Foundation
import Logging
import PodbenchCore
import PodbenchProbeInterface
import PodbenchReport
import PodbenchStore
import PodbenchSystem

/// Runs scenarios on a runtime: each run and judged by the `ScenarioExecutor`, stored by the
/// `RunRecorder` as it finishes, shown on the `ProgressLine` (the summary is the
/// `RunCoordinator`'s, once the gate has judged the run).
public struct Runner: Sendable {
    public let runtime: any PodRuntime
    public let store: ResultStore
    public let console: Console
    /// The name runs are stored under: baselines, trends and the gate group runs by runtime and
    /// host.
    public var host = Podbench.hostName
    public var logger = Logger(label: "podbench.runner")
    /// The database's file, beside which the run holds its `RunLock`; nil for none.
    public var database: String?
    /// Where the ends of every measurement between containers run: the scenarios' measuring
    /// containers are pinned so, and the run's fingerprint says it.
    public var placement = Placement.standard
    /// How idle CPUs wait during the run, on the machine that runs the pods when it is this one
    /// (not a cluster's nodes): with `poll`, where the kernel refuses the hold (not root), the
    /// run says so and goes on as `system`, and its fingerprint says which it was.
    public var cpuIdle = CPUIdle.standard
    /// The runtime that measures each measuring scenario's host twin (`--calibrate`), taking
    /// turns with the pod's measurement where its probes can (`Turns`), else right before and
    /// right after it (A-B-A); nil: not calibrated.
    public var twin: (any PodRuntime)?
    /// Told after each scenario is stored: the result (sonobuoy's progress).
    public var onRecorded: (@Sendable (ScenarioResult) async -> Void)?

    public init(runtime: any PodRuntime, store: ResultStore, console: Console) {
        self.runtime = runtime
        self.store = store
        self.console = console
    }

    /// What a run came to.
    public struct Outcome: Sendable {
        public var runId: Int64
        public var results: [ScenarioResult]
        public var interrupted: Bool

        /// Interrupted, else an infrastructure error, else a failed MUST check, else a MUST
        /// check not judged (no verdict), else passed. A check that failed outranks one that
        /// could not be judged: the failure is usually why (a volume the probes meet on).
        public var exitStatus: ExitStatus {
            if interrupted { return .interrupted }
            if results.contains(where: { $0.status == .error && !$0.notJudged }) { return .infrastructure }
            if results.contains(where: { $0.status == .fail }) { return .failed }
            if results.contains(where: { $0.status == .error }) { return .infrastructure }
            return .passed
        }

        var runStatus: RunStatus {
            switch exitStatus {
            case .passed: .passed
            case .failed: .failed
            case .infrastructure: .error
            case .interrupted, .badInput: .interrupted
            }
        }
    }

    /// Runs each scenario `repetitions` times in a row, storing every result as it finishes.
    public func run(_ scenarios: [Scenario], repetitions: Int = 1) async throws -> Outcome {
        let engine = await runtime.describe()
        var fingerprint = FingerprintCollector.collect(runtime: runtime.name, engine)
        fingerprint.placement = placement
        var hold: CPULatencyHold?
        // Idle CPUs are held polling only where the pods run on this machine.
        if runtime.runsPodsHere {
            fingerprint.cpuIdle = cpuIdle
            if cpuIdle == .poll {
                do {
                    hold = try CPULatencyHold()
                } catch {
                    fingerprint.cpuIdle = .system
                    console.error("podbench: idle CPUs wait as the system has them, not polling (\(error.message)); run as root to hold their latency at 0 us".terminalSafe)
                }
            }
        }
        defer { withExtendedLifetime(hold) {} }
        let scenarios = scenarios.map { $0.placed(placement) }
        let recorder = try RunRecorder(store: store, runtime: runtime.name, host: host, fingerprint: fingerprint, repetitions: repetitions, database: database)
        defer { withExtendedLifetime(recorder) {} }
        let runId = recorder.runId
        let printer = ResultPrinter(console: console)
        console.print(printer.header(runId: runId, runtime: runtime.name, count: scenarios.count))
        var outcome = Outcome(runId: runId, results: [], interrupted: false)
        let work = scenarios.flatMap { scenario in
            (1...repetitions).map { Work(scenario: scenario, repetition: $0, label: repetitions > 1 ? "\(scenario.name) #\($0)" : scenario.name) }
        }
        // Where the runtime allows it, scenarios whose time is waiting (nothing is measured
        // between their containers) wait together, first; then the measuring ones, one at a
        // time, so that nothing runs beside a measurement.
        let waiting = runtime.waitsTogether ? work.filter { !$0.scenario.measures } : []
        let measuring = runtime.waitsTogether ? work.filter(\.scenario.measures) : work
        let progress = ProgressLine(console: console, total: work.count)
        defer { progress.stop() }
        if !waiting.isEmpty {
            let together = ContinuousClock.now
            var running = waiting.map(\.label)
            let longest = waiting.map(\.scenario.timeout).max() ?? 0
            progress.start(running, timeout: longest, finished: 0)
            try await withThrowingTaskGroup(of: (Work, ScenarioResult)?.self) { group in
                for (position, item) in waiting.enumerated() {
                    group.addTask {
                        do { try await Task.sleep(for: Self.stagger * position) } catch { return nil }
                        var result = await run(item.scenario)
                        // Its pods started and ended beside the others': the runtime's own
                        // figures (pod.start, pod.complete) are the scenarios' that run alone.
                        if waiting.count > 1 {
                            result.metrics = result.metrics.map { $0.source == nil ? $0.invalidated("the pods ran beside other waiting scenarios' (run all starts those together); the scenarios that run alone time the runtime") : $0 }
                        }
                        return (item, result)
                    }
                }
                for try await finished in group {
                    guard let (item, result) = finished else {
                        outcome.interrupted = true
                        continue
                    }
                    running.removeAll { $0 == item.label }
                    try record(result, item, &outcome, recorder, printer, progress)
                    await onRecorded?(result)
                    if !running.isEmpty, !outcome.interrupted { progress.start(running, timeout: longest, finished: outcome.results.count, since: together) }
                }
            }
        }
        var lead = Self.lead(afterStart: runtime.typicalStart)
        for item in measuring where !outcome.interrupted {
            if Task.isCancelled {
                outcome.interrupted = true
                break
            }
            progress.start([item.label], timeout: item.scenario.timeout, finished: outcome.results.count)
            let result = if let twin, item.scenario.measures { await calibrated(item.scenario, twin: twin, lead: &lead) } else { await run(item.scenario) }
            try record(result, item, &outcome, recorder, printer, progress)
            await onRecorded?(result)
        }
        progress.stop()
        try recorder.finish(outcome.runStatus, exitStatus: outcome.exitStatus.code)
        return outcome
    }

    /// One scenario of a run, one of its repetitions.
    struct Work: Sendable {
        var scenario: Scenario
        var repetition: Int
        /// The scenario's name, and the repetition's number where there are several.
        var label: String
    }

    /// Between the starts of waiting scenarios that run together.
    static let stagger = Duration.milliseconds(50)

    /// Stores a scenario's result and prints its line; a result that came after Ctrl-C was cut
    /// short: it has no verdict, is not stored, and the run is interrupted.
    private func record(_ result: ScenarioResult, _ item: Work, _ outcome: inout Outcome, _ recorder: RunRecorder, _ printer: ResultPrinter, _ progress: ProgressLine) throws {
        if Task.isCancelled {
            if !outcome.interrupted { progress.print(printer.interrupted(item.label)) }
            outcome.interrupted = true
            return
        }
        var result = result
        result.repetition = item.repetition
        result.regressionTolerance = item.scenario.regressionTolerance
        result.tags = item.scenario.tags
        try recorder.save(result)
        outcome.results.append(result)
        progress.print(printer.line(for: result, label: item.label))
    }

    /// Runs `scenario` beside its host twin on `twin`: the two taking turns (`Turns`) where its
    /// probes can, else the twin right before and right after it (A-B-A). Its latencies between
    /// containers carry their twin's histograms. What the twin's checks say is not the pod's
    /// verdict: only its figures are kept.
    ///
    /// Taking turns, pod and twin measure as many samples in turns as long, so that both span
    /// the same time and see as many changes of turn. Turns begin `lead` ns from now, so that the
    /// pod has started by then and the twin (plain processes, which start at once) does not
    /// measure alone meanwhile; `lead` then becomes what this pod's start says the next one needs.
    ///
    /// A scenario that measures no latency between its containers (a throughput), or that the
    /// twin's runtime refuses (a capture of the pod's own loopback), runs alone: a twin would
    /// cost its time and calibrate nothing.
    func calibrated(_ scenario: Scenario, twin: any PodRuntime, lead: inout UInt64) async -> ScenarioResult {
        guard scenario.measuresLatency, twin.refusal(scenario) == nil else { return await run(scenario) }
        guard scenario.takesTurns else {
            let twinScenario = scenario.shortened(by: Self.twinDivisor)
            let before = await run(twinScenario, on: twin)
            let result = await run(scenario)
            let after = await run(twinScenario, on: twin)
            return result.calibrated(before: before, after: after)
        }
        let epoch = realtimeNanoseconds() &+ lead, rotation = scenario.turnRotation(closedLoop: Self.rotation), turn = rotation / 2
        async let floor = run(scenario.taking(Turns(offset: turn, length: turn, period: rotation, epoch: epoch)), on: twin)
        let result = await run(scenario.taking(Turns(offset: 0, length: turn, period: rotation, epoch: epoch)))
        if let start = result.metrics.first(where: { $0.name == MetricName.podStart.text && $0.source == nil && $0.count > 0 }) {
            lead = Self.lead(afterStart: start.percentile(50))
        }
        return result.calibrated(turns: await floor)
    }

    /// One rotation of turns of closed loops (ns): the pod's 1 ms, then its twin's (open loops
    /// turn with their requests: `Scenario.turnRotation`). On this VM (BENCHMARKS.md)
    /// 1 ms turns kept the overhead steadier than 2 ms ones and as steady as 0.5 ms ones;
    /// unequal turns (the twin's 1 ms of 5, a quarter of the samples) did not, a short turn
    /// holding more of the round trips that follow a wake-up.
    static let rotation: UInt64 = 2_000_000

    /// The lead (ns) a pod gets, given how long (ns) the one before it took to start (the
    /// runtime's `typicalStart` for the first): half as long again and 5 ms, within 10 ms and 5 s.
    /// A pod that starts later than that only lets its twin take a few turns alone.
    static func lead(afterStart start: UInt64) -> UInt64 {
        min(5_000_000_000, max(10_000_000, start + start / 2 + 5_000_000))
    }

    /// How many times fewer samples each A-B-A twin measures than the pod: the two together hold
    /// half the pod's (1,000 of a default 2,000 round trips, enough to judge a p99).
    static let twinDivisor = 4

    /// Runs and judges one scenario (`ScenarioExecutor`) on `runtime` (nil: the run's), its
    /// containers' outcomes logged at debug level.
    public func run(_ scenario: Scenario, on runtime: (any PodRuntime)? = nil) async -> ScenarioResult {
        let logger = logger
        return await ScenarioExecutor(runtime: runtime ?? self.runtime) { outcomes in
            for outcome in outcomes {
                logger.debug("\(outcome.qualifiedName) \(outcome.ending)\n--- stdout\n\(outcome.standardOutput)--- stderr\n\(outcome.standardError)")
            }
        }.run(scenario)
    }
}
