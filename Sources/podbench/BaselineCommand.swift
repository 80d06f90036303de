import ArgumentParser
import PodbenchKit

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Set, show or clear the run later runs are compared with, per runtime and host.",
        subcommands: [Set.self, Show.self, Clear.self],
        defaultSubcommand: Show.self
    )

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a run the baseline of its runtime and host.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The run's id ('podbench history' lists them).") var runId: Int64

        func run() throws {
            try BaselineTask.set(runId, in: store.database)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the baselines.")
        @OptionGroup var store: StoreOptions
        @Flag(name: .long, help: "Print the baselines as JSON.") var json = false

        func run() throws {
            try BaselineTask.show(store.database, json: json)
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the baseline of a runtime and host.")
        @OptionGroup var store: StoreOptions
        @Option(name: .long, help: "The runtime.") var runtime = RuntimeKind.local
        @Option(name: .long, help: "The host. Default: this one.") var host: String?

        func run() throws {
            try BaselineTask.clear(runtime: runtime, host: host, in: store.database)
        }
    }
}
