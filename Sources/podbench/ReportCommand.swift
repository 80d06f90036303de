import ArgumentParser
import PodbenchKit

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report stored results: on the terminal, or as HTML, JUnit, JSON, Markdown or OpenMetrics.",
        discussion: """
            Reads the results database only; nothing is run again. Shows the newest run unless \
            --run or --last selects others. Several formats may be written at once; the terminal \
            table is printed when no format goes to standard output.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var selection: SelectionOptions

    @Option(name: .long, help: ArgumentHelp("Write the HTML report (the value may be left out).", discussion: "Default file: \(ReportTask.defaultHTML).", valueName: "file"))
    var html: String?

    @Option(name: .long, help: ArgumentHelp("Write JUnit XML.", valueName: "file"))
    var junit: String?

    @Flag(name: .long, help: "Print JSON (schema podbench.report/v1, docs/report-json.md).")
    var json = false

    @Flag(name: .long, help: "Print Markdown, for a CI job summary or a pull-request comment.")
    var markdown = false

    @Flag(name: .long, help: ArgumentHelp("Print the selected runs' series in OpenMetrics, each sample at its run's time: for promtool tsdb create-blocks-from openmetrics (backfilling history)."))
    var openmetrics = false

    @Flag(name: .long, help: ArgumentHelp("Print the newest run of each variant in the Prometheus text format without timestamps: for node_exporter's textfile collector or a Pushgateway.", discussion: "Every series carries runtime, runtime_class, placement and host: a Pushgateway group of its own for each (--pushgateway pushes them so)."))
    var prometheus = false

    @Option(name: .long, help: ArgumentHelp("Push the newest run of each variant to this Prometheus Pushgateway (http://host:9091), each to its own group: job, runtime, runtime_class, placement and host.", valueName: "url"))
    var pushgateway: String?

    @Flag(name: .long, help: "Scenario × runtime class: the newest run of each runtime and runtime class among the selected runs (default: the last 20) side by side.")
    var matrix = false

    @Option(name: .long, help: ArgumentHelp("How many runs the HTML trends span.", valueName: "N"))
    var trend = 30

    /// The kinds asked for on standard output.
    private var printed: [ReportKind] {
        [(ReportKind.json, json), (.markdown, markdown), (.openmetrics, openmetrics), (.prometheus, prometheus)].filter(\.1).map(\.0)
    }

    /// What the flags ask.
    private var task: ReportTask {
        var task = ReportTask(selection: selection.selection)
        task.html = html
        task.junit = junit
        task.printed = printed.first
        task.matrix = matrix
        task.trend = trend
        task.pushgateway = pushgateway
        return task
    }

    func validate() throws {
        if printed.count > 1 {
            throw ValidationError("Give \(printed.map(\.flag).joined(separator: " or ")), not both: both print to standard output.")
        }
        try usage(task.validate)
    }

    func run() async throws {
        try await task.run(store.database)
    }
}
