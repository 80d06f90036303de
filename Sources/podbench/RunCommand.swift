import ArgumentParser
import Foundation
import Logging
import PodbenchCore
import PodbenchReport
import PodbenchKit
import PodbenchRuntime
import PodbenchStore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenarios and store their results.",
        discussion: "Prints a line per scenario as it finishes and a summary table; each result is committed to the database as it finishes."
    )

    @Argument(help: "Scenario names, or 'all'.")
    var names: [String] = []

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Option(name: .long, help: ArgumentHelp("The results database.", valueName: "path"))
    var db = "Results/podbench.sqlite"

    @Option(name: .long, help: "Where pods run: local (Linux namespaces on this machine).")
    var runtime = "local"

    @Option(name: .long, help: ArgumentHelp("The podbench-probe executable. Default: $PODBENCH_PROBE, else the one beside podbench.", valueName: "path"))
    var probe: String?

    @Option(name: .long, help: ArgumentHelp("Measure N times longer: every probe's timed rounds and connects, its waits for peers, and the timeouts, times N (nightly runs).", valueName: "N"))
    var scale = 1

    @Flag(name: .long, help: "Keep the packet captures (.pcap) of capture probes in a captures directory beside the database.")
    var capture = false

    @Flag(name: .shortAndLong, help: "Log each container's output.")
    var verbose = false

    func validate() throws {
        guard runtime == "local" else {
            throw ValidationError("Unknown runtime '\(runtime)'. This version runs pods on the 'local' runtime only.")
        }
        guard (1...1000).contains(scale) else {
            throw ValidationError("--scale must be from 1 to 1000.")
        }
        guard !names.isEmpty else {
            throw ValidationError("Name the scenarios to run, or 'all'. 'podbench list' shows them.")
        }
    }

    func run() async throws {
        let console = Console()
        let scenarios = try loadSelected(names, from: scenarioOptions.directory, console: console).map { $0.scaled(by: scale) }
        let probePath = probe ?? ProcessInfo.processInfo.environment["PODBENCH_PROBE"] ?? Podbench.sibling("podbench-probe")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .info
            return handler
        }
        let store: ResultStore
        do {
            store = try ResultStore(path: db)
        } catch {
            console.error("podbench: cannot open the results database \(db): \(error)")
            throw ExitCode(Podbench.ExitStatus.badInput.rawValue)
        }
        var runtime = LocalRuntime(probePath: probePath)
        if capture {
            runtime.capturesDirectory = ((db as NSString).deletingLastPathComponent as NSString).appendingPathComponent("captures")
        }
        let runner = Runner(runtime: runtime, store: store, console: console)
        let outcome: Runner.Outcome
        do {
            outcome = try await SignalForwarder.cancelling(Task { try await runner.run(scenarios) })
        } catch {
            console.error("podbench: \(error)")
            throw ExitCode(Podbench.ExitStatus.infrastructure.rawValue)
        }
        throw ExitCode(outcome.exitStatus.rawValue)
    }
}

/// Loads the scenarios of a directory and selects some by name; bad input ends with status 2.
func loadSelected(_ names: [String], from directory: String, console: Console) throws -> [Scenario] {
    do {
        return try ScenarioCatalog.select(names, from: ScenarioLoader.load(paths: [directory]))
    } catch let errors as ScenarioErrors {
        console.error(errors.description)
        console.error("podbench: \(errors.errors.count) problem\(errors.errors.count == 1 ? "" : "s") in the scenarios; nothing was run")
    } catch {
        console.error("podbench: \(error)")
    }
    throw ExitCode(Podbench.ExitStatus.badInput.rawValue)
}
