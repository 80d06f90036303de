import Foundation
import PodbenchCore
import PodbenchReport
import PodbenchStore
import PodbenchSystem
import Synchronization

/// Carries out a `RunPlan`: a run per runtime of the matrix and placement (each stored as it goes, stopped by
/// Ctrl-C), then the matrix table, the report files and the regression gate; the worst
/// status is the exit status.
public struct RunCoordinator {
    public let store: ResultStore
    public let console: Console

    public init(store: ResultStore, console: Console) {
        self.store = store
        self.console = console
    }

    public func run(_ plan: RunPlan) async throws -> RunSummary {
        var outcomes: [Runner.Outcome] = []
        let total = plan.scenarios.count * plan.repetitions * plan.runtimes.count * plan.placements.count
        let counter = ProgressCounter()
        // Every runtime of the matrix is checked before any runs: a missing handler or image,
        // or an endpoint nobody answers at, is exit 3 at once, with nothing stored.
        for runtime in plan.runtimes + [plan.twin].compactMap({ $0 }) {
            do {
                try await runtime.preflight()
            } catch {
                throw PodbenchError(.runtime, error.message, cause: error.cause)
            }
        }
        variants: for runtime in plan.runtimes {
            for placement in plan.placements {
                var runner = Runner(runtime: runtime, store: store, console: console)
                runner.database = plan.database
                runner.placement = placement
                runner.cpuIdle = plan.cpuIdle
                runner.twin = plan.twin
                if let progress = plan.progress {
                    runner.onRecorded = { result in
                        let (completed, failures) = counter.add(result)
                        await progress.post(completed: completed, total: total, last: "\(result.scenario): \(result.status.rawValue)", failures: failures)
                    }
                }
                if let host = plan.host, !host.isEmpty { runner.host = host }
                // What fails here (the database during the run) is the environment's: exit 3.
                let repetitions = plan.repetitions
                let scenarios = plan.scenarios
                outcomes.append(try await SignalForwarder.cancelling(Task { try await runner.run(scenarios, repetitions: repetitions) }))
                if outcomes.last?.interrupted == true { break variants }
            }
        }
        // The worst status wins: interrupted, then infrastructure, then failed.
        let order: [ExitStatus] = [.interrupted, .infrastructure, .failed, .passed]
        var status = order.first { worst in outcomes.contains { $0.exitStatus == worst } } ?? .passed
        guard !outcomes.isEmpty else { return RunSummary(outcomes: outcomes, exitStatus: status) }
        // One report of every run, built once: the gate's verdict goes into it (and into the
        // database) before anything shows it, so that the summary, the files and the exit
        // status say one thing.
        var report: Report
        do {
            var builder = ReportBuilder(store: store, generator: "podbench \(Podbench.version)")
            builder.tolerance = plan.tolerance
            report = try builder.build(RunFilter(ids: outcomes.map(\.runId)))
            // Every run of the plan against its reference (the report holds the newest run's,
            // and a runtime-class matrix's columns').
            let gate = RegressionGate(store: store, tolerance: plan.tolerance)
            for run in report.runs where report.comparison(of: run) == nil {
                if let comparison = try gate.evaluate(run) { report.otherComparisons.append(comparison) }
            }
            if plan.failOnRegression, !outcomes.contains(where: \.interrupted) {
                for index in report.runs.indices where report.runs[index].run.status == .passed {
                    let run = report.runs[index]
                    guard let comparison = report.comparison(of: run), !comparison.regressions.isEmpty else { continue }
                    try store.markRegressed(run.id)
                    report.runs[index].run.status = .regressed
                    report.runs[index].run.exitStatus = ExitStatus.failed.rawValue
                    if status == .passed { status = .failed }
                }
            }
        } catch {
            throw PodbenchError(.store, "cannot build the run's report", cause: "\(error)")
        }
        let terminal = TerminalReport(console: console, allChecks: false)
        for run in report.runs {
            console.print("\n" + terminal.render(run, comparison: report.comparison(of: run)))
        }
        if let matrix = report.matrix { console.print("\n" + terminal.render(matrix)) }
        for run in report.runs { gate(run, report, asked: plan.failOnRegression) }
        // A report that cannot be written (the paths were checked before the run: a full disk)
        // is said, and the verdict and the gate still count.
        do {
            try plan.reports.write(report)
            if let pushgateway = plan.pushgateway {
                for line in try await pushgateway.push(report) { console.error("podbench: pushed \(line)".terminalSafe) }
            }
        } catch {
            console.error("podbench: \(PodbenchError(error))".terminalSafe)
            if status == .passed { status = .infrastructure }
        }
        return RunSummary(outcomes: outcomes, exitStatus: status)
    }

    /// What the gate says of `run`, as `podbench report` says it: the comparison's line (and,
    /// when the gate was `asked` for and found regressions, the comparison itself), or, when it
    /// was asked for, that the run has no reference yet.
    private func gate(_ run: RunReport, _ report: Report, asked: Bool) {
        guard let comparison = report.comparison(of: run) else {
            if asked {
                console.print("podbench: no baseline and no earlier run of \(run.run.runtime) on \(run.run.host) with this fingerprint (\(run.fingerprint.digest)): no regression gate this time".terminalSafe)
            }
            return
        }
        if asked, !comparison.regressions.isEmpty { console.print("\n" + ComparisonText(console: console).render(comparison)) }
        console.print(TerminalReport.gateLine(comparison, inMatrix: report.matrix != nil))
    }
}

/// How many scenarios a plan has finished, and which failed: what sonobuoy's progress says.
final class ProgressCounter: Sendable {
    private let state = Mutex((completed: 0, failures: [String]()))

    func add(_ result: ScenarioResult) -> (completed: Int, failures: [String]) {
        state.withLock { state in
            state.completed += 1
            if result.status == .fail || result.status == .error { state.failures.append(result.scenario) }
            return state
        }
    }
}
