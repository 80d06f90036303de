import ArgumentParser
import Foundation
import PodbenchKit
import PodbenchReport
import PodbenchSystem

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

    @Option(name: .long, help: ArgumentHelp("Write the HTML report (the value may be left out).", discussion: "Default file: \(ReportCommand.defaultHTML).", valueName: "file"))
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

    static let defaultHTML = "Results/report.html"

    /// The files asked for.
    private var files: ReportFiles {
        var files = ReportFiles()
        files.add(.html, html)
        files.add(.junit, junit)
        return files
    }

    /// The kinds asked for on standard output.
    private var printed: [ReportKind] {
        [(ReportKind.json, json), (.markdown, markdown), (.openmetrics, openmetrics), (.prometheus, prometheus)].filter(\.1).map(\.0)
    }

    func validate() throws {
        if printed.count > 1 {
            throw ValidationError("Give \(printed.map(\.flag).joined(separator: " or ")), not both: both print to standard output.")
        }
        guard (2...1000).contains(trend) else { throw ValidationError("--trend must be from 2 to 1000.") }
        _ = try pushgateway.map(PushgatewayClient.init(address:))
    }

    func run() async throws {
        let resultStore = try store.openForReading()
        if html == Self.defaultHTML {
            // podbench's own directory, as for the default database; any other path's directory
            // must exist.
            try? FileManager.default.createDirectory(atPath: (Self.defaultHTML as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        var task = ReportTask(filter: selection.filter)
        task.files = files
        task.printed = printed.first
        task.matrix = matrix
        task.trend = trend
        task.pushgateway = try pushgateway.map(PushgatewayClient.init(address:))
        try await task.run(resultStore, console: Console())
    }
}

/// `report --html` may leave out its file: ArgumentParser has no option with an optional value,
/// so the default is put in wherever `--html` ends the line or another option follows it. The
/// subcommand is the first argument that is not an option (the root command takes no option
/// but --help and --version, so nothing can come before it but those); only `report`'s own
/// arguments are looked at, up to a `--`, after which nothing is an option.
func withDefaultHTMLPath(_ arguments: [String]) -> [String] {
    guard let command = arguments.firstIndex(where: { !$0.hasPrefix("-") }), arguments[command] == "report" else { return arguments }
    var arguments = arguments
    var index = command + 1
    while index < arguments.count, arguments[index] != "--" {
        if arguments[index] == "--html", index + 1 == arguments.count || arguments[index + 1].hasPrefix("-") {
            arguments.insert(ReportCommand.defaultHTML, at: index + 1)
        }
        index += 1
    }
    return arguments
}
