/// Every kind of report podbench writes from the store: the one list `run` and `report` take
/// their outputs from. A new format is a case here, its `ReportFormat`, and its flag.
public enum ReportKind: String, CaseIterable, Sendable {
    case html, junit, json, markdown, openmetrics, prometheus

    public var format: any ReportFormat {
        switch self {
        case .html: HTMLReport()
        case .junit: JUnitReport()
        case .json: JSONReport()
        case .markdown: MarkdownReport()
        case .openmetrics: OpenMetricsReport()
        case .prometheus: PrometheusTextReport()
        }
    }

    /// The command-line option that asks for it.
    public var flag: String { "--\(rawValue)" }
}
