import ArgumentParser
import PodbenchKit

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the stored runs, one line each, newest last."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var selection: SelectionOptions
    @Flag(name: .long, help: "Print the runs as JSON (an array, oldest first).") var json = false

    func run() throws {
        try DatabaseTask.history(store.database, selection.selection, json: json)
    }
}
