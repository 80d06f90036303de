import Foundation
import PodbenchReport
import PodbenchStore
import PodbenchSystem

/// What `podbench report` does with the runs a filter selects: writes the files asked for,
/// pushes to a Pushgateway, and prints one kind on standard output, or the matrix, or else,
/// when no file was asked for, the terminal table.
public struct ReportTask {
    public var filter: RunFilter
    public var files = ReportFiles()
    /// The kind printed on standard output; nil for the terminal's.
    public var printed: ReportKind?
    /// Scenario × runtime class (the newest run of each among the last 20 by default).
    public var matrix = false
    /// How many runs the HTML trends span.
    public var trend = 30
    public var pushgateway: PushgatewayClient?

    public init(filter: RunFilter) {
        self.filter = filter
    }

    public func run(_ store: ResultStore, console: Console) async throws {
        var builder = ReportBuilder(store: store, generator: "podbench \(Podbench.version)")
        builder.trendLength = trend
        var filter = filter
        if matrix, filter.ids == nil, filter.last == nil { filter.last = 20 }
        let report = try builder.build(filter)
        if let runId = filter.ids?.first, filter.ids?.count == 1, report.runs.isEmpty {
            // The run exists but the other options leave it out: say which.
            let unmet = try store.unmet(filter, by: runId)
            throw PodbenchError(.notFound, "run \(runId) \(unmet.joined(separator: " and ")): nothing to report; 'podbench report --run \(runId)' shows all of it")
        }
        try files.write(report)
        if let pushgateway {
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
