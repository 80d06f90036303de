import Foundation

/// The newest run of each variant (runtime, runtime class, placement, host) in the Prometheus
/// text format (0.0.4), without timestamps: what node_exporter's textfile collector and the
/// Pushgateway take, and `promtool check metrics` checks. Every series carries its run's
/// grouping key, so that the runs of a matrix sit side by side in one file, and each run can be
/// pushed to a group of its own (`PushgatewayClient`).
public struct PrometheusTextReport: ReportFormat {
    public init() {}

    public func render(_ report: Report) -> String {
        render(report, runs: Self.newestOfEachVariant(report.runs))
    }

    /// `runs` alone: one push's body.
    public func render(_ report: Report, runs: [RunReport]) -> String {
        let series = PrometheusSeries(report, runs: runs, generator: report.generator)
        var text = ""
        for family in series.families {
            text += "# HELP \(family.name) \(Self.help(family.help))\n"
            text += "# TYPE \(family.name) \(family.type)\n"
            for samples in series.grouped(family) {
                // Without timestamps a series has one value: its newest.
                guard let sample = samples.last else { continue }
                text += PrometheusSeries.lines(family, sample, time: nil)
            }
        }
        return text
    }

    /// Of the runs, the newest of each grouping key, oldest first.
    public static func newestOfEachVariant(_ runs: [RunReport]) -> [RunReport] {
        var newest: [String: RunReport] = [:]
        for run in runs {
            let key = PrometheusSeries.labelText(PrometheusSeries.groupingKey(run))
            if newest[key].map({ ($0.run.startedAt, $0.id) < (run.run.startedAt, run.id) }) ?? true { newest[key] = run }
        }
        return newest.values.sorted { ($0.run.startedAt, $0.id) < ($1.run.startedAt, $1.id) }
    }

    /// HELP text as the text format escapes it: backslash and line feed.
    static func help(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
