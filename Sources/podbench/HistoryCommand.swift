import ArgumentParser
import Foundation
import PodbenchKit
import PodbenchReport
import PodbenchStore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the stored runs, one line each, newest last."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var selection: SelectionOptions

    func run() throws {
        let console = Console()
        let resultStore = try store.openForReading()
        let runs = try resultStore.runs(selection.filter)
        let baselines = Set(try resultStore.baselines().map(\.runId))
        console.print(HistoryText(console: console).render(runs, baselines: baselines))
    }
}
