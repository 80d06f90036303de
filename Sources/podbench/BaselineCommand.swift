import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchReport
import PodbenchSystem

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
            let resultStore = try store.open()
            guard let record = try resultStore.run(runId) else { throw store.noSuchRun(runId) }
            if record.status == .running || record.status == .interrupted {
                throw PodbenchError(.badInput, "run \(runId) is \(record.status.rawValue); a baseline must be a finished run")
            }
            try resultStore.setBaseline(runId: runId)
            Console().print("podbench: run \(runId) is the baseline of runtime \(record.runtime) on \(record.host)".terminalSafe)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the baselines.")
        @OptionGroup var store: StoreOptions
        @Flag(name: .long, help: "Print the baselines as JSON.") var json = false

        func run() throws {
            let baselines = try store.openForReading().baselines()
            if json {
                Console().print(try ListingJSON.baselines(baselines))
                return
            }
            if baselines.isEmpty { Console().print("podbench: no baseline is set; 'podbench baseline set RUN' sets one") }
            for baseline in baselines {
                Console().print("\(baseline.runtime)\t\(baseline.host)\trun \(baseline.runId)\tset \(baseline.setAt.formatted(.iso8601))".terminalSafe)
            }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the baseline of a runtime and host.")
        @OptionGroup var store: StoreOptions
        @Option(name: .long, help: "The runtime.") var runtime = RuntimeKind.local
        @Option(name: .long, help: "The host. Default: this one.") var host: String?

        func run() throws {
            let host = host ?? Podbench.hostName
            let removed = try store.open().clearBaseline(runtime: runtime.rawValue, host: host)
            Console().print((removed ? "podbench: cleared the baseline of \(runtime) on \(host)" : "podbench: \(runtime) on \(host) had no baseline").terminalSafe)
        }
    }
}
