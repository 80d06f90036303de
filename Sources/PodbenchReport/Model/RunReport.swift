import Foundation
import Histogram
import PodbenchCore
import PodbenchProbeInterface
import PodbenchStore

/// One stored run as reports show it: repetitions of a scenario folded into one verdict, their
/// histograms merged.
public struct RunReport: Sendable {
    public var run: RunRecord
    public var fingerprint: Fingerprint
    public var scenarios: [ScenarioReport]
    /// The newest host run under a pod run's figures, where there is one (`ReportBuilder`).
    public var floor: HostFloor?

    public var id: Int64 { run.id ?? 0 }

    /// How many scenarios ended in each status.
    public func count(_ status: ScenarioReport.Status) -> Int {
        scenarios.filter { $0.status == status }.count
    }

    /// The checks of every scenario with an outcome, for totals.
    public func checkCount(_ outcome: CheckSummary.Outcome) -> Int {
        scenarios.reduce(0) { $0 + $1.checks.filter { $0.outcome == outcome }.count }
    }
}

public struct ScenarioReport: Sendable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pass, fail, flaky, error, skipped
    }

    public var name: String
    public var status: Status
    public var repetitions: Int
    /// Seconds, summed over the repetitions.
    public var duration: Double
    /// Why a repetition was an error (the first such).
    public var error: String?
    public var tolerance: Double?
    /// The scenario's tags; none for runs stored before podbench kept them.
    public var tags: [String] = []
    public var checks: [CheckSummary]
    public var metrics: [MetricReport]
}

/// A check over every repetition of its scenario.
public struct CheckSummary: Sendable {
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case pass, fail
        /// Failed in some repetitions and passed in others.
        case flaky
        case skip
        /// Not judged: its precondition failed (see `CheckResult.Outcome.inconclusive`).
        case inconclusive
    }

    public var name: String
    public var level: Level
    public var outcome: Outcome
    /// The evidence: a failing repetition's message when there is one, else the last message.
    public var message: String
    public var source: String?
    /// In how many repetitions it failed, of how many it was reported in.
    public var failures: Int
    public var reports: Int
    /// How long it took to judge, in seconds, summed over the repetitions; nil where not known.
    public var duration: Double? = nil
}

/// A metric over every repetition of its scenario: the merged histogram and its summary.
public struct MetricReport: Sendable, HistogramSummary {
    public var scenario: String
    public var name: String
    public var unit: String
    public var source: String?
    public var histogram: Histogram<UInt64>
    /// Why the samples are not valid, when a repetition said so: reports show this, not numbers.
    public var invalid: String? = nil
    /// Where the ends of the measurement ran (the newest repetition's), for a metric between
    /// containers.
    public var placement: MetricPlacement? = nil
    /// Its host twin over every repetition, where each was calibrated (`run --calibrate`).
    public var floor: MetricFloor? = nil

    /// What reports show instead of numbers: why the samples are not valid, or "no samples"
    /// when none was recorded; nil when there are figures to show.
    public var withoutSamples: String? {
        if let invalid { return "not valid: \(invalid)" }
        return count == 0 ? "no samples" : nil
    }

    /// Its name, reporting container and placement: `tcp.round-trip (p/client) [cross-cpu]`.
    public var label: String {
        name + (source.map { " (\($0))" } ?? "") + (placement.map { " [\($0.placement.rawValue)]" } ?? "")
    }

    /// What identifies the metric across runs.
    public var key: MetricKey { MetricKey(scenario: scenario, name: name, source: source, placement: placement?.placement) }
    /// Throughput is better higher; latencies lower.
    public var higherIsBetter: Bool { unit != "ns" }
}

/// A metric's identity across runs: its scenario, name, reporting container and, for a
/// measurement between containers, where its ends ran (a same-cpu figure is not a cross-cpu one).
public struct MetricKey: Hashable, Sendable, Comparable {
    public var scenario: String
    public var name: String
    public var source: String?
    public var placement: Placement?

    /// A metric a probe reported (it has a `source`) without a placement was measured before
    /// placements existed, unpinned: it is `free`.
    public init(scenario: String, name: String, source: String?, placement: Placement? = nil) {
        self.scenario = scenario
        self.name = name
        self.source = source
        self.placement = placement ?? (source == nil ? nil : .free)
    }

    public var label: String { "\(scenario) · \(name)" + (source.map { " (\($0))" } ?? "") + (placement.map { " [\($0.rawValue)]" } ?? "") }

    public static func < (a: MetricKey, b: MetricKey) -> Bool {
        (a.scenario, a.name, a.source ?? "", a.placement?.rawValue ?? "") < (b.scenario, b.name, b.source ?? "", b.placement?.rawValue ?? "")
    }
}
