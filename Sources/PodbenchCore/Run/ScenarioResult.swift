import Histogram
import PodbenchProbeInterface

import Foundation

/// The verdict on one scenario: its checks and metrics.
public struct ScenarioResult: Sendable {
    public enum Status: String, Sendable, Codable {
        /// Every MUST check passed.
        case pass
        /// A MUST check failed.
        case fail
        /// The runtime failed or the pods did not finish: no verdict.
        case error
        case skipped
    }

    public var scenario: String
    public var status: Status
    public var startedAt: Date
    /// Seconds.
    public var duration: Double
    /// Why the scenario is an error, when it is.
    public var error: String?
    public var checks: [CheckResult]
    public var metrics: [MetricResult]
    /// Which run of the scenario this is, from 1, under `run --repeat`.
    public var repetition = 1
    /// The scenario's `regressionTolerance`, kept with its figures for later comparisons.
    public var regressionTolerance: Double?
    /// The scenario's tags, stored with its result.
    public var tags: [String] = []

    public init(scenario: String, status: Status, startedAt: Date, duration: Double, error: String? = nil, checks: [CheckResult] = [], metrics: [MetricResult] = []) {
        self.scenario = scenario
        self.status = status
        self.startedAt = startedAt
        self.duration = duration
        self.error = error
        self.checks = checks
        self.metrics = metrics
    }

    /// An error only because a MUST check could not be judged (the pods ran).
    public var notJudged: Bool {
        status == .error && checks.contains { $0.level == .must && $0.inconclusive }
    }

    /// Checks below MUST that failed: reported, not fatal.
    public var warnings: [CheckResult] {
        checks.filter { $0.failed && $0.level == .should }
    }
}

public struct CheckResult: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        case pass, fail
        /// Could not be judged here (for example no IPv6 in the pod), with the reason as message.
        case skip
        /// Not judged because a precondition failed (the probes' rendezvous on another channel):
        /// neither a pass nor the channel's failure. A MUST check that is inconclusive leaves its
        /// scenario without a verdict (an error) unless a MUST check failed.
        case inconclusive
    }

    public var name: String
    public var level: Level
    public var outcome: Outcome
    /// The evidence: what was seen, why it failed, or why it was skipped.
    public var message: String
    /// `pod/container` that reported it, or nil for checks the runner judged.
    public var source: String?
    /// How long it took to judge, in seconds: from its container's start to its report, or for
    /// a check the runner judged from the pods' creation to what it judged on (the last
    /// container's start for the namespaces, the last one's end for `pod.completed`); nil where
    /// not known.
    public var duration: Double?

    public init(name: String, level: Level, outcome: Outcome, message: String, source: String?, duration: Double? = nil) {
        self.name = name
        self.level = level
        self.outcome = outcome
        self.message = message
        self.source = source
        self.duration = duration
    }

    public init(name: String, level: Level, passed: Bool, message: String, source: String?) {
        self.init(name: name, level: level, outcome: passed ? .pass : .fail, message: message, source: source)
    }

    public var passed: Bool { outcome == .pass }
    public var failed: Bool { outcome == .fail }
    public var inconclusive: Bool { outcome == .inconclusive }
}

/// A latency metric: its HDR histogram (nanoseconds) and the summary read off it.
public struct MetricResult: Sendable, HistogramSummary {
    public var name: String
    public var unit: String
    public var source: String?
    public var histogram: Histogram<UInt64>
    /// Why the samples are not valid (then none are kept), or nil.
    public var invalid: String?
    /// Where the ends of the measurement ran, for a metric between containers.
    public var placement: MetricPlacement?
    /// Its host twin (`--calibrate`), which took turns with it or ran right before and after it,
    /// or nil.
    public var floor: MetricFloor?

    public init(name: String, unit: String, source: String?, histogram: Histogram<UInt64>, invalid: String? = nil, placement: MetricPlacement? = nil, floor: MetricFloor? = nil) {
        self.name = name
        self.unit = unit
        self.source = source
        self.histogram = histogram
        self.invalid = invalid
        self.placement = placement
        self.floor = floor
    }

    /// Builds the histogram from recorded (value, count) pairs.
    public init(name: String, unit: String, source: String?, values: [[UInt64]], invalid: String? = nil, placement: MetricPlacement? = nil) {
        self.init(name: name, unit: unit, source: source, histogram: Self.histogram(values), invalid: invalid, placement: placement)
    }

    /// A histogram of recorded (value, count) pairs.
    public static func histogram(_ values: [[UInt64]]) -> Histogram<UInt64> {
        var histogram = LatencyRecorder.emptyHistogram()
        for pair in values where pair.count == 2 && pair[1] > 0 {
            _ = histogram.record(Swift.max(pair[0], 1), count: pair[1])
        }
        return histogram
    }

    /// The same metric with its samples dropped, and why.
    public func invalidated(_ reason: String) -> MetricResult {
        MetricResult(name: name, unit: unit, source: source, histogram: LatencyRecorder.emptyHistogram(), invalid: reason, placement: placement)
    }

    /// The recorded (value, count) pairs: the compact form stored and exchanged.
    public var recordedValues: [[UInt64]] {
        histogram.recordedPairs
    }

}

/// What a latency histogram says, read the same way wherever one is held (an empty histogram
/// reads as zeros).
public protocol HistogramSummary {
    var histogram: Histogram<UInt64> { get }
}

extension HistogramSummary {
    public var count: UInt64 { histogram.totalCount }
    public var min: UInt64 { count == 0 ? 0 : histogram.min }
    public var max: UInt64 { count == 0 ? 0 : histogram.max }
    public var mean: Double { count == 0 ? 0 : histogram.mean }
    public func percentile(_ p: Double) -> UInt64 {
        count == 0 ? 0 : histogram.valueAtPercentile(p)
    }
}
