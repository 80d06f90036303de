import ArgumentParser
import Foundation
import Logging
import PodbenchCore
import PodbenchReport
import PodbenchKit
import PodbenchProbes
import PodbenchRuntime
import PodbenchStore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenarios and store their results.",
        discussion: "Prints a line per scenario as it finishes and a summary table; each result is committed to the database as it finishes."
    )

    @Argument(help: "Scenario names, or 'all'.")
    var names: [String] = []

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Where pods run: local (Linux namespaces on this machine), podman (podman kube play) or kubernetes (kubectl, $KUBECONFIG).")
    var runtime = RuntimeKind.local

    @OptionGroup(title: "Real pods (podman, kubernetes)") var pods: PodOptions

    @Option(name: .long, help: ArgumentHelp("podman's OCI runtime, a name or an executable's absolute path; a comma list runs every scenario under each, a run each (runc,crun).", valueName: "names"))
    var ociRuntime: String?

    @OptionGroup(title: "Kubernetes") var cluster: ClusterOptions

    @Option(name: .long, help: ArgumentHelp("The podbench-probe executable. Default: $PODBENCH_PROBE, else the one beside podbench.", valueName: "path"))
    var probe: String?

    @Option(name: .long, help: ArgumentHelp("Measure N times longer: every probe's timed rounds and connects, its waits for peers, and the timeouts, times N (nightly runs).", valueName: "N"))
    var scale = 1

    @Option(name: .long, help: ArgumentHelp("The name this run is stored under: baselines, trends and the gate group runs by runtime and host. Default: $PODBENCH_HOST, else this machine's host name (CI runners change theirs every job).", valueName: "name"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("Every scenario's timeout instead of its own (30s, 2m): the pods are stopped after it.", valueName: "duration"))
    var timeout: String?

    @Flag(name: .long, help: "Keep the packet captures (.pcap) of capture probes in a captures directory beside the database.")
    var capture = false

    @Option(name: .long, help: ArgumentHelp("Run each scenario N times; a check that fails in some repetitions but not all is reported as flaky.", valueName: "N"))
    var `repeat` = 1

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's HTML report.", valueName: "file"))
    var html: String?

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's JUnit XML.", valueName: "file"))
    var junit: String?

    @Option(name: .long, help: ArgumentHelp("At the end, write the run's Markdown summary.", valueName: "file"))
    var markdown: String?

    @Flag(name: .long, help: "Exit 1 when a metric regressed against the baseline (else the run before), by the rule in docs/regression-gate.md.")
    var failOnRegression = false

    @Option(name: .long, help: ArgumentHelp("With --fail-on-regression: the tolerance for every metric, overriding the scenarios' (percent).", valueName: "pct"))
    var tolerance: Double?

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
        guard !names.isEmpty else {
            throw ValidationError("Name the scenarios to run, or 'all'. 'podbench list' shows them.")
        }
        // An option of another runtime would be ignored: say so rather than run without it.
        let given = pods.given + cluster.given.map { ($0, [RuntimeKind.kubernetes]) } + (ociRuntime.map { _ in [("--oci-runtime", [RuntimeKind.podman])] } ?? [])
        if let (flag, runtimes) = given.first(where: { !$0.runtimes.contains(runtime) }) {
            throw ValidationError("\(flag) is for --runtime \(runtimes.sorted().map(\.rawValue).joined(separator: " or ")), not \(runtime.rawValue).")
        }
        for name in ociRuntimes {
            if name.hasPrefix("/") {
                guard FileManager.default.isExecutableFile(atPath: name) else {
                    throw ValidationError("--oci-runtime '\(name)' is not an executable file; give an OCI runtime's name (runc, crun) or the absolute path of its executable.")
                }
            } else if !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                throw ValidationError("--oci-runtime '\(name)' is not an OCI runtime name (runc, crun) nor an absolute path.")
            }
        }
    }

    /// podman's OCI runtimes, runc by default.
    private var ociRuntimes: [String] { ociRuntime.map(commaList) ?? ["runc"] }

    func run() async throws {
        let console = Console()
        try ReportWriter.check(html: html, junit: junit, markdown: markdown, nothingDone: "Nothing was run.")
        let timeoutOverride = timeout.flatMap { DurationText.nanoseconds($0) }
        let scenarios = try loadSelected(names, from: scenarioOptions.directory).map { scenario in
            var scaled = scenario.scaled(by: scale)
            if let timeoutOverride { scaled.timeout = timeoutOverride }
            guard scaled.timeout <= ScenarioLimits.longestTimeout else {
                throw PodbenchError(.badInput, "\(scenario.file): the timeout of \(scenario.name), \(DurationText.format(nanoseconds: Double(scenario.timeout))) × --scale \(scale), is over 24h; lower --scale or give --timeout")
            }
            return scaled
        }
        let probePath = probe ?? ProcessInfo.processInfo.environment["PODBENCH_PROBE"] ?? Podbench.sibling("podbench-probe")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .info
            return handler
        }
        let resultStore = try store.open(mustExist: false)
        var outcomes: [Runner.Outcome] = []
        let repetitions = `repeat`
        // A matrix (--oci-runtime runc,crun or --runtime-class a,b) is one run per variant.
        for runtime in runtimes(probePath: probePath, console: console) {
            var runner = Runner(runtime: runtime, store: resultStore, console: console)
            runner.database = store.db
            if let host = host ?? ProcessInfo.processInfo.environment["PODBENCH_HOST"], !host.isEmpty { runner.host = host }
            // What fails here (the database during the run) is the environment's: PodbenchError says 3.
            outcomes.append(try await SignalForwarder.cancelling(Task { try await runner.run(scenarios, repetitions: repetitions) }))
            if outcomes.last?.interrupted == true { break }
        }
        // The worst status wins: interrupted, then infrastructure, then failed.
        let order: [Podbench.ExitStatus] = [.interrupted, .infrastructure, .failed, .passed]
        var status = order.first { worst in outcomes.contains { $0.exitStatus == worst } } ?? .passed
        do {
            var builder = ReportBuilder(store: resultStore, generator: "podbench \(Podbench.version)")
            builder.tolerance = ToleranceOption.fraction(tolerance)
            let report = try builder.build(RunFilter(ids: outcomes.map(\.runId)))
            // A report that cannot be written (the paths were checked before the run: a full
            // disk) is said, and the verdict and the gate still count.
            var written = true
            do {
                try ReportWriter(console: console).write(report, html: html, junit: junit, markdown: markdown)
            } catch {
                say(error)
                written = false
            }
            if let matrix = report.matrix { console.print("\n" + TerminalReport(console: console).render(matrix)) }
            if failOnRegression, !outcomes.contains(where: \.interrupted) {
                for run in report.runs where try gate(run, report: report, store: resultStore, console: console) && status == .passed {
                    status = .failed
                }
            }
            if !written && status == .passed { status = .infrastructure }
        } catch {
            throw PodbenchError(.store, "cannot build the run's report", cause: "\(error)")
        }
        throw ExitCode(status.rawValue)
    }

    /// The runtime, or one per OCI runtime or RuntimeClass listed.
    private func runtimes(probePath: String, console: Console) -> [any PodRuntime] {
        switch self.runtime {
        case .podman:
            return ociRuntimes.map { PodmanRuntime(options: pods.options(engine: .podman, runLabel: "podbench"), ociRuntime: $0) }
        case .kubernetes:
            return cluster.runtimeClasses.map { cluster.runtime(pods.options(engine: .kubernetes, runLabel: "podbench", runtimeClass: $0), console: console) }
        case .local:
            var local = LocalRuntime(probePath: probePath)
            if capture {
                local.capturesDirectory = ((store.db as NSString).deletingLastPathComponent as NSString).appendingPathComponent("captures")
            }
            return [local]
        }
    }

    /// Compares the run with its reference and prints the verdicts; whether a metric regressed.
    private func gate(_ run: RunReport, report: Report, store: ResultStore, console: Console) throws -> Bool {
        guard let comparison = try RegressionGate(store: store, tolerance: ToleranceOption.fraction(tolerance)).evaluate(run, reusing: report) else {
            console.print("podbench: no baseline and no earlier run of \(run.run.runtime) on \(run.run.host) with this fingerprint (\(run.fingerprint.digest)): no regression gate this time".terminalSafe)
            return false
        }
        console.print("\n" + ComparisonText(console: console).render(comparison))
        return !comparison.regressions.isEmpty
    }
}

/// Loads the scenarios of a directory and selects some by name; bad input ends with status 2.
func loadSelected(_ names: [String], from directory: String) throws -> [Scenario] {
    try ScenarioCatalog.select(names, from: ScenarioLoader.load(paths: [directory]))
}
