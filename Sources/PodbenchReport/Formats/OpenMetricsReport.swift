import Foundation

/// The selected runs in OpenMetrics 1.0, for backfilling history: every sample carries its
/// run's start time (seconds since the epoch), oldest first, as `promtool tsdb
/// create-blocks-from openmetrics` reads them. For node_exporter's textfile collector and the
/// Pushgateway, which refuse timestamps, `PrometheusTextReport` writes the same series.
public struct OpenMetricsReport: ReportFormat {
    public init() {}

    public func render(_ report: Report) -> String {
        let runs = report.runs.sorted { ($0.run.startedAt, $0.id) < ($1.run.startedAt, $1.id) }
        let series = PrometheusSeries(report, runs: runs, generator: report.generator)
        var text = ""
        for family in series.families {
            text += "# TYPE \(family.name) \(family.type)\n"
            if let unit = family.unit { text += "# UNIT \(family.name) \(unit)\n" }
            text += "# HELP \(family.name) \(family.help)\n"
            for samples in series.grouped(family) {
                for sample in samples {
                    text += PrometheusSeries.lines(family, sample, time: String(format: "%.3f", sample.time.timeIntervalSince1970))
                }
            }
        }
        return text + "# EOF\n"
    }
}
