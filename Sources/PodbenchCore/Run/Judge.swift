import PodbenchProbes

import Foundation

/// Turns what the containers of a scenario printed into checks, metrics and a verdict.
public enum Judge {
    public static func judge(_ scenario: Scenario, outcomes: [ContainerOutcome], startedAt: Date, duration: Double) -> ScenarioResult {
        var checks: [CheckResult] = [podCompleted(scenario, outcomes)]
        var metrics = podLatencies(outcomes)
        for outcome in outcomes {
            for record in records(in: outcome.standardOutput) {
                switch record.podbench {
                case .check:
                    guard let name = record.name, let verdict = Self.outcome(of: record) else { continue }
                    checks.append(CheckResult(name: name, level: scenario.level(of: name), outcome: verdict, message: record.message ?? "", source: outcome.qualifiedName))
                case .metric:
                    guard let name = record.name else { continue }
                    metrics.append(MetricResult(name: name, unit: record.unit ?? "ns", source: outcome.qualifiedName, values: record.values ?? []))
                case .error, .started:
                    break // Errors show through pod.completed and missing checks.
                }
            }
        }
        for expectation in scenario.expectations where !checks.contains(where: { $0.name == expectation.check }) {
            checks.append(CheckResult(name: expectation.check, level: expectation.level, passed: false, message: "not reported: " + endings(outcomes), source: nil))
        }
        let failed = checks.contains { $0.failed && $0.level == .must }
        return ScenarioResult(scenario: scenario.name, status: failed ? .fail : .pass, startedAt: startedAt, duration: duration, checks: checks, metrics: metrics)
    }

    /// `pod.start`: from the runtime creating the pods to the last container running (its
    /// probe's `started` record); `pod.complete`: to the last container ending. One sample
    /// each, when the runtime timed the pods.
    static func podLatencies(_ outcomes: [ContainerOutcome]) -> [MetricResult] {
        guard let created = outcomes.compactMap(\.createdAt).min() else { return [] }
        var metrics: [MetricResult] = []
        let started = outcomes.map { records(in: $0.standardOutput).first { $0.podbench == .started }?.at }
        if !started.isEmpty, started.allSatisfy({ $0 != nil }), let last = started.compactMap({ $0 }).max(), last > created {
            metrics.append(MetricResult(name: "pod.start", unit: "ns", source: nil, values: [[last - created, 1]]))
        }
        if let ended = outcomes.compactMap(\.endedAt).max(), ended > created, outcomes.allSatisfy({ $0.endedAt != nil }) {
            metrics.append(MetricResult(name: "pod.complete", unit: "ns", source: nil, values: [[ended - created, 1]]))
        }
        return metrics
    }

    private static func outcome(of record: ProbeRecord) -> CheckResult.Outcome? {
        if record.skipped == true { return .skip }
        return record.ok.map { $0 ? .pass : .fail }
    }

    /// The probe records among a container's output lines (JSON objects; other lines are its log).
    public static func records(in output: String) -> [ProbeRecord] {
        let decoder = JSONDecoder()
        return output.split(separator: "\n").compactMap { line in
            guard line.first == "{" else { return nil }
            return try? decoder.decode(ProbeRecord.self, from: Data(line.utf8))
        }
    }

    /// restartPolicy Never: the pod completes when every container exits 0.
    private static func podCompleted(_ scenario: Scenario, _ outcomes: [ContainerOutcome]) -> CheckResult {
        let failed = outcomes.filter { $0.ending != .exited(0) }
        let message = failed.isEmpty
            ? "all \(outcomes.count) containers exited 0"
            : endings(failed)
        return CheckResult(name: "pod.completed", level: scenario.level(of: "pod.completed"), passed: failed.isEmpty, message: message, source: nil)
    }

    /// How each container ended, with its error record or the end of its standard error.
    static func endings(_ outcomes: [ContainerOutcome]) -> String {
        outcomes.map { outcome in
            var text = "\(outcome.qualifiedName) " + describe(outcome.ending)
            if let error = records(in: outcome.standardOutput).last(where: { $0.podbench == .error })?.message {
                text += ": \(error)"
            } else if outcome.ending != .exited(0), let last = outcome.standardError.split(separator: "\n").last {
                text += ": \(last)"
            }
            return text
        }.joined(separator: "; ")
    }

    static func describe(_ ending: ContainerOutcome.Ending) -> String {
        switch ending {
        case .exited(let code): "exited \(code)"
        case .signaled(let signal): "was killed by signal \(signal)"
        case .timedOut: "was stopped at the scenario's timeout"
        }
    }
}
