import Foundation
import PodbenchCore
import PodbenchReport
import PodbenchStore

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
        variants: for runtime in plan.runtimes {
            for placement in plan.placements {
                var runner = Runner(runtime: runtime, store: store, console: console)
                runner.database = plan.database
                runner.placement = placement
                runner.cpuIdle = plan.cpuIdle
                if let host = plan.host, !host.isEmpty { runner.host = host }
                // What fails here (the database during the run) is the environment's: exit 3.
                let repetitions = plan.repetitions
                let scenarios = plan.scenarios
                outcomes.append(try await SignalForwarder.cancelling(Task { try await runner.run(scenarios, repetitions: repetitions) }))
                if outcomes.last?.interrupted == true { break variants }
            }
        }
        // The worst status wins: interrupted, then infrastructure, then failed.
        let order: [Podbench.ExitStatus] = [.interrupted, .infrastructure, .failed, .passed]
        var status = order.first { worst in outcomes.contains { $0.exitStatus == worst } } ?? .passed
        // The report of the whole plan serves its files, the matrix of several runs and the
        // gate; without them, the runner's own report was all there is to show.
        guard !plan.reports.isEmpty || outcomes.count > 1 || plan.failOnRegression else {
            return RunSummary(outcomes: outcomes, exitStatus: status)
        }
        do {
            var builder = ReportBuilder(store: store, generator: "podbench \(Podbench.version)")
            builder.tolerance = plan.tolerance
            let report = try builder.build(RunFilter(ids: outcomes.map(\.runId)))
            // A report that cannot be written (the paths were checked before the run: a full
            // disk) is said, and the verdict and the gate still count.
            var written = true
            do {
                try plan.reports.write(report)
            } catch {
                console.error("podbench: \(PodbenchError(error))".terminalSafe)
                written = false
            }
            if let matrix = report.matrix { console.print("\n" + TerminalReport(console: console).render(matrix)) }
            if plan.failOnRegression, !outcomes.contains(where: \.interrupted) {
                for run in report.runs where try regressed(run, report: report, tolerance: plan.tolerance) && status == .passed {
                    status = .failed
                }
            }
            if !written && status == .passed { status = .infrastructure }
        } catch {
            throw PodbenchError(.store, "cannot build the run's report", cause: "\(error)")
        }
        return RunSummary(outcomes: outcomes, exitStatus: status)
    }

    /// Compares the run with its reference and prints the verdicts; whether a metric regressed.
    private func regressed(_ run: RunReport, report: Report, tolerance: Double?) throws -> Bool {
        guard let comparison = try RegressionGate(store: store, tolerance: tolerance).evaluate(run, reusing: report) else {
            console.print("podbench: no baseline and no earlier run of \(run.run.runtime) on \(run.run.host) with this fingerprint (\(run.fingerprint.digest)): no regression gate this time".terminalSafe)
            return false
        }
        console.print("\n" + ComparisonText(console: console).render(comparison))
        return !comparison.regressions.isEmpty
    }
}
