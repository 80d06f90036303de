import ArgumentParser
import PodbenchKit

/// The results database every command that reads or writes results takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The results database.", valueName: "path"))
    var db = ResultsDatabase.defaultPath

    var database: ResultsDatabase { ResultsDatabase(db) }
}
