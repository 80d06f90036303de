import PodbenchCore

/// What a run came to, in the one word every format says and the exit status follows:
/// computed once (`RunReport.outcome`), rendered by the terminal, HTML, Markdown, JSON, JUnit
/// and the Prometheus outputs alike.
///
/// | outcome | meaning | exit status |
/// |---|---|---|
/// | passed | every check passed (skips aside), no metric regressed | 0 |
/// | warnings | passed, with SHOULD or INFO checks that failed, or metrics that regressed where the gate was not asked for | 0 |
/// | failed | a MUST check failed | 1 |
/// | regressed | every MUST check passed and a metric regressed, under `--fail-on-regression` | 1 |
/// | error | the runtime or the infrastructure failed, or a MUST check could not be judged: no verdict | 3 |
/// | interrupted | stopped by a signal, or by a podbench that died | 128 + the signal |
public enum RunOutcome: String, Sendable, Codable, CaseIterable {
    case passed
    case warnings
    case failed
    case regressed
    case error
    case interrupted
    /// Still going: no outcome yet.
    case running

    /// As a sentence says it: `passed with warnings`.
    public var label: String {
        self == .warnings ? "passed with warnings" : rawValue
    }

    /// The exit status a run with this outcome ends with; nil for `interrupted` (128 + the
    /// signal, which the run stores when podbench saw it) and `running`.
    public var exitStatus: Int32? {
        switch self {
        case .passed, .warnings: 0
        case .failed, .regressed: 1
        case .error: 3
        case .interrupted, .running: nil
        }
    }

    /// Whether the run passed, warnings or not.
    public var passed: Bool { self == .passed || self == .warnings }
}

/// The warnings of a run: what failed below MUST, and what regressed where the gate did not
/// fail the run.
public struct RunWarnings: Sendable, Equatable, Encodable {
    /// SHOULD and INFO checks that failed (in every repetition or in some).
    public var checks: Int
    /// Metrics that regressed against the run's reference.
    public var regressions: Int

    public var total: Int { checks + regressions }

    /// `2 SHOULD/INFO checks failed, 21 metrics regressed`, or nil when there is none.
    public var text: String? {
        var parts: [String] = []
        if checks > 0 { parts.append("\(checks) SHOULD/INFO check\(checks == 1 ? "" : "s") failed") }
        if regressions > 0 { parts.append("\(regressions) metric\(regressions == 1 ? "" : "s") regressed") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}

extension RunReport {
    /// Its warnings, given its comparison with its reference (nil: none).
    public func warnings(against comparison: Comparison?) -> RunWarnings {
        let checks = scenarios.reduce(0) { $0 + $1.checks.filter { $0.level != .must && ($0.outcome == .fail || $0.outcome == .flaky) }.count }
        let regressions = comparison.map { $0.new.id == id ? $0.regressions.count : 0 } ?? 0
        return RunWarnings(checks: checks, regressions: regressions)
    }

    /// The status podbench exited with for this run (in a matrix, the run's own part of it):
    /// as stored, else as its outcome gives it; nil when not known (a run whose podbench was
    /// killed).
    public func exitStatus(against comparison: Comparison?) -> Int32? {
        run.exitStatus ?? outcome(against: comparison).exitStatus
    }

    /// What the run came to: its stored status, and for a run that passed, whether it did so
    /// with warnings (given its comparison with its reference).
    public func outcome(against comparison: Comparison?) -> RunOutcome {
        switch run.status {
        case .running: .running
        case .interrupted: .interrupted
        case .error: .error
        case .failed: .failed
        case .regressed: .regressed
        case .passed: warnings(against: comparison).total > 0 ? .warnings : .passed
        }
    }
}
