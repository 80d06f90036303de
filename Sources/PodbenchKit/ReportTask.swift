import Foundation
import PodbenchReport
import PodbenchStore
import PodbenchSystem

/// What `podbench report` does with the runs a selection selects: writes the files asked for,
/// pushes to a Pushgateway, and prints one kind on standard output, or the matrix, or else,
/// when no file was asked for, the terminal table.
public struct ReportTask {
    /// Where `--html` writes when its file is left out.
    public static let defaultHTML = "Results/report.html"

    public var selection: RunSelection
    /// The HTML file to write.
    public var html: String?
    /// The JUnit file to write.
    public var junit: String?
    /// The kind printed on standard output; nil for the terminal's.
    public var printed: ReportKind?
    /// Scenario × runtime class (the newest run of each among the last 20 by default).
    public var matrix = false
    /// How many runs the HTML trends span.
    public var trend = 30
    /// The Pushgateway to push the newest run of each variant to (`http://host:9091`).
    public var pushgateway: String?

    /// The command line's arguments with `defaultHTML` put in where `report --html` leaves out
    /// its file: the argument parser has no option with an optional value, so the default goes
    /// wherever `--html` ends the line or another option follows it. The subcommand is the
    /// first argument that is not an option (the root command takes no option but --help and
    /// --version, so nothing can come before it but those); only `report`'s own arguments are
    /// looked at, up to a `--`, after which nothing is an option.
    public static func withDefaultHTML(_ arguments: [String]) -> [String] {
        guard let command = arguments.firstIndex(where: { !$0.hasPrefix("-") }), arguments[command] == "report" else { return arguments }
        var arguments = arguments
        var index = command + 1
        while index < arguments.count, arguments[index] != "--" {
            if arguments[index] == "--html", index + 1 == arguments.count || arguments[index + 1].hasPrefix("-") {
                arguments.insert(defaultHTML, at: index + 1)
            }
            index += 1
        }
        return arguments
    }

    public init(selection: RunSelection) {
        self.selection = selection
    }

    /// Throws what is wrong with the task: a usage error, or a Pushgateway address that is
    /// not one (bad input).
    public func validate() throws {
        guard (2...1000).contains(trend) else { throw UsageError("--trend must be from 2 to 1000.") }
        _ = try pushgateway.map(PushgatewayClient.init(address:))
    }

    /// Reports from `database`, read only.
    public func run(_ database: ResultsDatabase) async throws {
        let store = try database.openForReading()
        if html == Self.defaultHTML {
            // podbench's own directory, as for the default database; any other path's directory
            // must exist.
            try? FileManager.default.createDirectory(atPath: (Self.defaultHTML as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        try await run(store, console: Console())
    }

    private func run(_ store: ResultStore, console: Console) async throws {
        var files = ReportFiles()
        files.add(.html, html)
        files.add(.junit, junit)
        var builder = ReportBuilder(store: store, generator: "podbench \(Podbench.version)")
        builder.trendLength = trend
        var filter = selection.filter
        if matrix, filter.ids == nil, filter.last == nil { filter.last = 20 }
        let report = try builder.build(filter)
        if let runId = filter.ids?.first, filter.ids?.count == 1, report.runs.isEmpty {
            // The run exists but the other options leave it out: say which.
            let unmet = try store.unmet(filter, by: runId)
            throw PodbenchError(.notFound, "run \(runId) \(unmet.joined(separator: " and ")): nothing to report; 'podbench report --run \(runId)' shows all of it")
        }
        try files.write(report)
        if let pushgateway = try pushgateway.map(PushgatewayClient.init(address:)) {
            for line in try await pushgateway.push(report) { console.error("podbench: pushed \(line)".terminalSafe) }
        }
        if let printed {
            // As a file would hold it: OpenMetrics allows nothing after its last line.
            let text = try printed.format.render(report)
            console.print(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        } else if matrix {
            guard let runtimes = report.matrix else {
                throw PodbenchError(.badInput, "the selected runs cover one runtime class; run with --oci-runtime runc,crun or --runtime-class a,b to compare several")
            }
            console.print(TerminalReport(console: console).render(runtimes))
        } else if files.isEmpty {
            console.print(TerminalReport(console: console).render(report))
        }
    }
}
