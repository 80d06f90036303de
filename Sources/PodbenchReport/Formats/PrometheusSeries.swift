import Foundation
import PodbenchCore
import PodbenchSystem

/// What podbench says to Prometheus about its runs, before it is written in one of the two
/// formats Prometheus' tools read (`PrometheusTextReport`, `OpenMetricsReport`): families of
/// series, each sample with its run's start time.
///
/// Every series of a run carries `runtime`, `runtime_class`, `placement` and `host`: the
/// grouping key of a Pushgateway push, so that no run replaces another's series. The outcome is
/// in the values, not in a label (`podbench_run_outcome` has a series per outcome, 1 for the
/// run's): a series stays one series when its run's outcome changes.
public struct PrometheusSeries {
    /// A family: its name, type, unit (OpenMetrics only) and help, and its samples.
    struct Family {
        var name: String
        var type: String
        var unit: String?
        var help: String
        var samples: [Sample] = []
    }

    /// One sample: its series' labels, its lines (a summary's quantiles, `_sum` and `_count`,
    /// each with its own labels and suffix; one line elsewhere), its run's time.
    struct Sample {
        var labels: [(String, String)]
        var lines: [(suffix: String, extra: [(String, String)], value: Double)]
        var time: Date

        init(labels: [(String, String)], value: Double, time: Date) {
            self.init(labels: labels, lines: [("", [], value)], time: time)
        }

        init(labels: [(String, String)], lines: [(suffix: String, extra: [(String, String)], value: Double)], time: Date) {
            self.labels = labels
            self.lines = lines
            self.time = time
        }
    }

    /// The families, in the order they are written; each family's samples grouped by series,
    /// oldest first.
    var families: [Family]

    /// The quantiles each latency summary gives.
    static let quantiles: [(quantile: String, percentile: Double)] = [("0.5", 50), ("0.9", 90), ("0.99", 99), ("0.999", 99.9)]

    /// Bytes a second in one of each throughput unit podbench stores.
    static let bytesPerSecond: [String: Double] = ["MB/s": 1e6]

    /// The labels of a run's every series: its Pushgateway grouping key.
    public static func groupingKey(_ run: RunReport) -> [(String, String)] {
        [("runtime", run.run.runtime), ("runtime_class", run.fingerprint.runtimeClass ?? "default"),
         ("placement", (run.fingerprint.placement ?? .free).rawValue), ("host", run.run.host)]
    }

    init(_ report: Report, runs: [RunReport], generator: String) {
        var build = Family(name: "podbench_build_info", type: "gauge", help: "The podbench that wrote these series, in its labels; always 1.")
        var info = Family(name: "podbench_run_info", type: "gauge", help: "The run's environment fingerprint, in its labels; always 1.")
        var start = Family(name: "podbench_run_start_timestamp_seconds", type: "gauge", unit: "seconds", help: "When the run began, in seconds since the epoch.")
        var outcome = Family(name: "podbench_run_outcome", type: "gauge", help: "1 for the run's outcome (passed, warnings, failed, regressed, error, interrupted), 0 for the others; exit statuses 0, 0, 1, 1, 3, 128 + the signal.")
        var exit = Family(name: "podbench_run_exit_code", type: "gauge", help: "The status podbench exited with for the run (absent where its podbench was killed).")
        var warnings = Family(name: "podbench_run_warnings", type: "gauge", help: "What made the run pass with warnings: SHOULD/INFO checks that failed (kind=checks) and metrics that regressed against its reference (kind=regressions).")
        var status = Family(name: "podbench_scenario_status", type: "gauge", help: "1 for the scenario's status (pass, fail, flaky, error, skipped), 0 for the others.")
        var duration = Family(name: "podbench_scenario_duration_seconds", type: "gauge", unit: "seconds", help: "How long the scenario ran, over its repetitions.")
        var failed = Family(name: "podbench_check_failed", type: "gauge", help: "1 when the check failed (in every repetition or in some: flaky), else 0.")
        var skipped = Family(name: "podbench_check_skipped", type: "gauge", help: "1 when the check was not judged (skipped, or inconclusive: its precondition failed), else 0.")
        var latency = Family(name: "podbench_latency_seconds", type: "summary", unit: "seconds", help: "A latency podbench measured: quantiles of its HDR histogram over the scenario's repetitions.")
        var throughput = Family(name: "podbench_throughput_bytes_per_second", type: "gauge", unit: "bytes_per_second", help: "A throughput podbench measured: the median over the scenario's repetitions.")
        var regressed = Family(name: "podbench_metric_regressed", type: "gauge", help: "1 when the metric regressed against the run's reference (the regression gate's verdict), else 0; absent without a reference.")
        var overhead = Family(name: "podbench_pod_overhead_ratio", type: "gauge", help: "The metric over the same one measured as plain processes on this host: the pod's overhead at the percentile (50, 99), over its host twin measured in the same run (run --calibrate), else over the newest host run (run --runtime host); absent without either.")
        var overheadBounds = Family(name: "podbench_pod_overhead_ratio_bound", type: "gauge", help: "The 95% interval of the pod's overhead over its host twin (run --calibrate), at the percentile (50, 99): its lower and upper bound (bound=lower, upper).")
        let version = generator.split(separator: " ").last.map(String.init) ?? generator
        build.samples.append(Sample(labels: [("version", version)], value: 1, time: runs.map(\.run.startedAt).max() ?? report.generatedAt))
        for run in runs {
            let time = run.run.startedAt
            let common = Self.groupingKey(run)
            let fingerprint = run.fingerprint
            info.samples.append(Sample(labels: common + [
                ("runtime_version", fingerprint.runtimeVersion), ("kernel", fingerprint.kernel), ("cgroup", fingerprint.cgroupVersion),
                ("cpu", fingerprint.cpuModel), ("cpu_idle", fingerprint.cpuIdle?.rawValue ?? "unknown"),
                ("podbench_version", fingerprint.podbenchVersion), ("fingerprint", fingerprint.digest),
            ], value: 1, time: time))
            start.samples.append(Sample(labels: common, value: (time.timeIntervalSince1970 * 1000).rounded() / 1000, time: time))
            let comparison = report.comparison(of: run)
            let said = run.outcome(against: comparison)
            for candidate in RunOutcome.allCases where candidate != .running {
                outcome.samples.append(Sample(labels: common + [("outcome", candidate.rawValue)], value: candidate == said ? 1 : 0, time: time))
            }
            if let code = run.exitStatus(against: comparison) { exit.samples.append(Sample(labels: common, value: Double(code), time: time)) }
            let counted = run.warnings(against: comparison)
            warnings.samples.append(Sample(labels: common + [("kind", "checks")], value: Double(counted.checks), time: time))
            warnings.samples.append(Sample(labels: common + [("kind", "regressions")], value: Double(counted.regressions), time: time))
            let verdicts = Dictionary((comparison?.metrics ?? []).compactMap { metric in metric.judgement.map { (metric.key, $0.verdict == .regressed) } }, uniquingKeysWith: { a, _ in a })
            for scenario in run.scenarios {
                let named = common + [("scenario", scenario.name)]
                for candidate in ScenarioReport.Status.allCases {
                    status.samples.append(Sample(labels: named + [("status", candidate.rawValue)], value: candidate == scenario.status ? 1 : 0, time: time))
                }
                duration.samples.append(Sample(labels: named, value: scenario.duration, time: time))
                for check in scenario.checks {
                    let labels = named + [("check", check.name), ("source", check.source ?? ""), ("level", check.level.rawValue)]
                    failed.samples.append(Sample(labels: labels, value: check.outcome == .fail || check.outcome == .flaky ? 1 : 0, time: time))
                    skipped.samples.append(Sample(labels: labels, value: check.outcome == .skip || check.outcome == .inconclusive ? 1 : 0, time: time))
                }
                for metric in scenario.metrics where metric.withoutSamples == nil {
                    // `ends`: where the measurement's ends ran, which is the run's placement unless
                    // the ends could not be pinned so.
                    let labels = named + [("metric", metric.name), ("source", metric.source ?? ""), ("ends", metric.placement?.placement.rawValue ?? "")]
                    if metric.unit == "ns" {
                        let lines = Self.quantiles.map { (suffix: "", extra: [("quantile", $0.quantile)], value: Double(metric.percentile($0.percentile)) / 1e9) }
                            + [("_sum", [], metric.mean * Double(metric.count) / 1e9), ("_count", [], Double(metric.count))]
                        latency.samples.append(Sample(labels: labels, lines: lines, time: time))
                    } else if let scale = Self.bytesPerSecond[metric.unit] {
                        throughput.samples.append(Sample(labels: labels, value: Double(metric.percentile(50)) * scale, time: time))
                    }
                    if let verdict = verdicts[metric.key] { regressed.samples.append(Sample(labels: labels, value: verdict ? 1 : 0, time: time)) }
                    if let ratio = run.overheadRatios(of: metric) {
                        overhead.samples.append(Sample(labels: labels + [("percentile", "50")], value: ratio.p50, time: time))
                        overhead.samples.append(Sample(labels: labels + [("percentile", "99")], value: ratio.p99, time: time))
                    }
                    if let calibrated = metric.overhead {
                        for (percentile, interval) in [("50", calibrated.p50), ("99", calibrated.p99)] {
                            overheadBounds.samples.append(Sample(labels: labels + [("percentile", percentile), ("bound", "lower")], value: interval.low, time: time))
                            overheadBounds.samples.append(Sample(labels: labels + [("percentile", percentile), ("bound", "upper")], value: interval.high, time: time))
                        }
                    }
                }
            }
        }
        families = [build, info, start, outcome, exit, warnings, status, duration, failed, skipped, latency, throughput, regressed, overhead, overheadBounds].filter { !$0.samples.isEmpty }
    }

    /// Each family's samples, a series' together and oldest first (of two of one series in one
    /// run, the first), series in the order of their labels.
    func grouped(_ family: Family) -> [[Sample]] {
        var series: [String: [Sample]] = [:]
        for sample in family.samples {
            let key = Self.labelText(sample.labels)
            if series[key]?.last.map({ $0.time < sample.time }) ?? true { series[key, default: []].append(sample) }
        }
        return series.keys.sorted().map { series[$0]! }
    }

    /// A sample's lines: `name{labels} value`, with ` time` after it when `time` is given.
    static func lines(_ family: Family, _ sample: Sample, time: String?) -> String {
        sample.lines.map { line in
            family.name + line.suffix + "{" + labelText(sample.labels + line.extra) + "} " + number(line.value) + (time.map { " " + $0 } ?? "") + "\n"
        }.joined()
    }

    /// `name="value",...`, every value escaped.
    static func labelText(_ labels: [(String, String)]) -> String {
        labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
    }

    /// A label value as both formats write it: backslash, double quote and line feed escaped;
    /// other control characters, which no reader expects, replaced.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\u{0}"..."\u{1F}", "\u{7F}": escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar.misleads ? "\u{FFFD}" : scalar)
            }
        }
        return escaped
    }

    /// A number as Prometheus writes one: integers without a fraction, the rest as Swift's
    /// shortest round-trip form (`6.95e-05`).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
