import ArgumentParser
import Foundation
import PodbenchReport
import PodbenchSystem

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the stored runs, one line each, newest last."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var selection: SelectionOptions
    @Flag(name: .long, help: "Print the runs as JSON (an array, oldest first).") var json = false

    func run() throws {
        let console = Console()
        let resultStore = try store.openForReading()
        let runs = try resultStore.runs(selection.filter)
        let baselines = Set(try resultStore.baselines().map(\.runId))
        console.print(json ? try ListingJSON.history(runs, baselines: baselines) : HistoryText(console: console).render(runs, baselines: baselines))
    }
}
