import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchKit
import PodbenchReport
import PodbenchStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report stored results: on the terminal, or as HTML, JUnit, JSON or Markdown.",
        discussion: """
            Reads the results database only; nothing is run again. Shows the newest run unless
            --run or --last selects others. Several formats may be written at once; the terminal
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

    @Flag(name: .long, help: "Scenario × runtime class: the newest run of each runtime and runtime class among the selected runs (default: the last 20) side by side.")
    var matrix = false

    @Option(name: .long, help: ArgumentHelp("How many runs the HTML trends span.", valueName: "N"))
    var trend = 30

    static let defaultHTML = "Results/report.html"

    func validate() throws {
        if json && markdown { throw ValidationError("Give --json or --markdown, not both: both print to standard output.") }
        guard (2...1000).contains(trend) else { throw ValidationError("--trend must be from 2 to 1000.") }
    }

    func run() throws {
        let console = Console()
        let resultStore = try store.openForReading()
        if html == Self.defaultHTML {
            // podbench's own directory, as for the default database; any other path's directory
            // must exist.
            try? FileManager.default.createDirectory(atPath: (Self.defaultHTML as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        var builder = ReportBuilder(store: resultStore, generator: "podbench \(Podbench.version)")
        builder.trendLength = trend
        var filter = selection.filter
        if matrix, filter.ids == nil, filter.last == nil { filter.last = 20 }
        let report = try builder.build(filter)
        if let runId = selection.runId, report.runs.isEmpty {
            // The run exists but the other options leave it out: say which.
            let unmet = try resultStore.unmet(filter, by: runId)
            throw PodbenchError(.notFound, "run \(runId) \(unmet.joined(separator: " and ")): nothing to report; 'podbench report --run \(runId)' shows all of it")
        }
        try ReportWriter(console: console).write(report, html: html, junit: junit)
        if json {
            console.print(try JSONReport().render(report))
        } else if markdown {
            console.print(MarkdownReport().render(report))
        } else if matrix {
            guard let runtimes = report.matrix else {
                throw PodbenchError(.badInput, "the selected runs cover one runtime class; run with --oci-runtime runc,crun or --runtime-class a,b to compare several")
            }
            console.print(TerminalReport(console: console).render(runtimes))
        } else if html == nil && junit == nil {
            console.print(TerminalReport(console: console).render(report))
        }
    }
}

/// Writes the report files a command was asked for, and says where.
struct ReportWriter {
    let console: Console

    func write(_ report: Report, html: String?, junit: String?, markdown: String? = nil) throws {
        try Self.check(html: html, junit: junit, markdown: markdown)
        for (path, format) in [(html, HTMLReport() as any ReportFormat), (junit, JUnitReport()), (markdown, MarkdownReport())] {
            guard let path else { continue }
            let text = try format.render(report)
            do {
                try ReportFile.write(text, to: path)
            } catch {
                // The path was fine to ask for; writing failed (a full disk): the environment's.
                throw PodbenchError(.runtime, "\(error)")
            }
            FileHandle.standardError.write(Data("podbench: wrote \(path)\n".utf8))
        }
    }

    /// Refuses (exit 2) report files that cannot be written: a directory, or a file in a
    /// directory that does not exist or may not be written in. Only the file is ever made.
    static func check(html: String?, junit: String?, markdown: String?, nothingDone: String = "") throws {
        for (flag, path) in [("--html", html), ("--junit", junit), ("--markdown", markdown)] {
            guard let path, let problem = ReportFile.problem(writing: path) else { continue }
            throw PodbenchError(.badInput, "\(flag) \(path) cannot be written: \(problem); name another file." + (nothingDone.isEmpty ? "" : " " + nothingDone))
        }
    }
}
