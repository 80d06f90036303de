import ArgumentParser
import PodbenchKit

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Maintain the results database: prune old runs, export everything.",
        subcommands: [Prune.self, Export.self]
    )

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete old runs and all they hold; baselines and running runs are kept.")
        @OptionGroup var store: StoreOptions
        @Option(name: .long, help: ArgumentHelp("Keep the newest N runs.", valueName: "N")) var keep: Int?
        @Option(name: .long, help: ArgumentHelp("Delete runs started more than DAYS days ago.", valueName: "days")) var olderThan: PlainDecimal?

        func validate() throws {
            guard (keep == nil) != (olderThan == nil) else { throw ValidationError("Give one of --keep N or --older-than DAYS.") }
            if let keep, keep < 0 { throw ValidationError("--keep must be 0 or more.") }
            if let days = olderThan?.value, days > 36_500 { throw ValidationError("--older-than must be at most 36500 days (100 years).") }
        }

        func run() throws {
            try DatabaseTask.prune(store.database, keep: keep, olderThanDays: olderThan?.value)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every run as JSON lines: one run per line, in the report's JSON run schema, oldest first.")
        @OptionGroup var store: StoreOptions
        @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var output: String?

        func run() throws {
            try DatabaseTask.export(store.database, to: output)
        }
    }
}
