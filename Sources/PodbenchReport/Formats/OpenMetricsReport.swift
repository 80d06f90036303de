import Foundation
import PodbenchCore

/// The selected runs in the OpenMetrics text format (which Prometheus' own text parser reads
/// too): per latency metric its quantiles (p50, p90, p99, p99.9), count and sum in seconds, per
/// throughput its median in bytes a second, per check whether it failed; labelled by scenario,
/// source, runtime, runtime class, placement and host, and each run described by a
/// `podbench_run_info` series.
///
/// One run is written without sample timestamps, its start time given as
/// `podbench_run_start_timestamp_seconds`: node_exporter's textfile collector and the
/// Pushgateway refuse samples that carry timestamps. Several runs share their series, so each
/// sample then carries its run's start time as its timestamp, in order, as `promtool tsdb
/// create-blocks-from openmetrics` backfills them.
public struct OpenMetricsReport: ReportFormat {
    public init() {}

    /// The quantiles each latency summary gives.
    static let quantiles: [(quantile: String, percentile: Double)] = [("0.5", 50), ("0.9", 90), ("0.99", 99), ("0.999", 99.9)]

    /// One metric family: its name, type, unit and help, as written before its samples.
    private struct Family {
        var name: String
        var type: String
        var unit: String?
        var help: String
    }

    private static let latency = Family(name: "podbench_latency_seconds", type: "summary", unit: "seconds", help: "A latency podbench measured: quantiles of its HDR histogram over the scenario's repetitions.")
    private static let throughput = Family(name: "podbench_throughput_bytes_per_second", type: "gauge", unit: "bytes_per_second", help: "A throughput podbench measured: the median over the scenario's repetitions.")
    private static let checkFailed = Family(name: "podbench_check_failed", type: "gauge", unit: nil, help: "1 when the check failed (in every repetition or in some: flaky), else 0.")
    private static let checkSkipped = Family(name: "podbench_check_skipped", type: "gauge", unit: nil, help: "1 when the check was not judged (skipped, or inconclusive: its precondition failed), else 0.")
    private static let runInfo = Family(name: "podbench_run_info", type: "gauge", unit: nil, help: "The run's environment fingerprint, in its labels; always 1.")
    private static let runStart = Family(name: "podbench_run_start_timestamp_seconds", type: "gauge", unit: "seconds", help: "When the run began, in seconds since the epoch.")

    /// A sample: its series' labels, the lines of its metric point (a summary has several),
    /// and its run's time.
    private struct Point {
        var labels: [(String, String)]
        var lines: [(suffix: String, extra: [(String, String)], value: Double)]
        var time: Date
    }

    public func render(_ report: Report) -> String {
        let runs = report.runs.sorted { ($0.run.startedAt, $0.id) < ($1.run.startedAt, $1.id) }
        let timestamps = runs.count > 1
        var points: [String: [Point]] = [:]
        for run in runs {
            let time = run.run.startedAt
            let common = [("runtime", run.run.runtime), ("runtime_class", run.fingerprint.runtimeClass ?? "default"), ("host", run.run.host)]
            let fingerprint = run.fingerprint
            points[Self.runInfo.name, default: []].append(Point(labels: common + [
                ("runtime_version", fingerprint.runtimeVersion), ("kernel", fingerprint.kernel), ("cgroup", fingerprint.cgroupVersion),
                ("cpu", fingerprint.cpuModel), ("placement", (fingerprint.placement ?? .free).rawValue),
                ("cpu_idle", fingerprint.cpuIdle?.rawValue ?? "unknown"), ("podbench_version", fingerprint.podbenchVersion), ("fingerprint", fingerprint.digest),
            ], lines: [("", [], 1)], time: time))
            if !timestamps {
                points[Self.runStart.name, default: []].append(Point(labels: common, lines: [("", [], (time.timeIntervalSince1970 * 1000).rounded() / 1000)], time: time))
            }
            for scenario in run.scenarios {
                // The outcome is in the values, not in a label: a series stays one series when its
                // check's outcome changes.
                for check in scenario.checks {
                    let labels = [("scenario", scenario.name), ("check", check.name), ("source", check.source ?? ""), ("level", check.level.rawValue)] + common
                    let failed = check.outcome == .fail || check.outcome == .flaky
                    let skipped = check.outcome == .skip || check.outcome == .inconclusive
                    points[Self.checkFailed.name, default: []].append(Point(labels: labels, lines: [("", [], failed ? 1 : 0)], time: time))
                    points[Self.checkSkipped.name, default: []].append(Point(labels: labels, lines: [("", [], skipped ? 1 : 0)], time: time))
                }
                for metric in scenario.metrics where metric.withoutSamples == nil {
                    let labels = [("scenario", scenario.name), ("metric", metric.name), ("source", metric.source ?? ""), ("placement", metric.placement?.placement.rawValue ?? "")] + common
                    if metric.unit == "ns" {
                        let lines = Self.quantiles.map { (suffix: "", extra: [("quantile", $0.quantile)], value: Double(metric.percentile($0.percentile)) / 1e9) }
                            + [("_sum", [], metric.mean * Double(metric.count) / 1e9), ("_count", [], Double(metric.count))]
                        points[Self.latency.name, default: []].append(Point(labels: labels, lines: lines, time: time))
                    } else if let scale = Self.bytesPerSecond[metric.unit] {
                        points[Self.throughput.name, default: []].append(Point(labels: labels, lines: [("", [], Double(metric.percentile(50)) * scale)], time: time))
                    }
                }
            }
        }
        var text = ""
        for family in [Self.runInfo, Self.runStart, Self.checkFailed, Self.checkSkipped, Self.latency, Self.throughput] {
            guard let found = points[family.name], !found.isEmpty else { continue }
            text += "# TYPE \(family.name) \(family.type)\n"
            if let unit = family.unit { text += "# UNIT \(family.name) \(unit)\n" }
            text += "# HELP \(family.name) \(family.help)\n"
            // A series' points together, oldest first; of two in one run, the first.
            var series: [String: [Point]] = [:]
            for point in found {
                let key = Self.labelText(point.labels)
                if series[key]?.last.map({ $0.time < point.time }) ?? true { series[key, default: []].append(point) }
            }
            for (_, points) in series.sorted(by: { $0.key < $1.key }) {
                for point in points {
                    for line in point.lines {
                        text += family.name + line.suffix + "{" + Self.labelText(point.labels + line.extra) + "} " + Self.number(line.value)
                        if timestamps { text += " " + Self.seconds(point.time) }
                        text += "\n"
                    }
                }
            }
        }
        return text + "# EOF\n"
    }

    /// Bytes a second in one of each throughput unit podbench stores.
    static let bytesPerSecond: [String: Double] = ["MB/s": 1e6]

    /// `name="value",...`, every value escaped.
    static func labelText(_ labels: [(String, String)]) -> String {
        labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
    }

    /// A label value as OpenMetrics writes it: backslash, double quote and line feed escaped;
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

    /// A time as seconds since the epoch, to the millisecond.
    static func seconds(_ time: Date) -> String {
        String(format: "%.3f", time.timeIntervalSince1970)
    }

    /// A number as Prometheus writes one: integers without a fraction, the rest as Swift's
    /// shortest round-trip form (`6.95e-05`).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
