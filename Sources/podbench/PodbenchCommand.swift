import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchKit
import PodbenchReport

@main
struct PodbenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "podbench",
        abstract: "Conformance and benchmark suite for communication between the containers of a Kubernetes pod.",
        discussion: """
            Exit status: 0 every MUST check passed (and no regression); 1 a check failed, or a
            metric regressed under --fail-on-regression; 2 bad input or usage; 3 the runtime or
            infrastructure failed (no verdict); 130 interrupted.
            """,
        version: Podbench.version,
        subcommands: [
            RunCommand.self, ListCommand.self, ValidateCommand.self, ReportCommand.self, HistoryCommand.self,
            CompareCommand.self, BaselineCommand.self, DatabaseCommand.self, RenderCommand.self, ImageCommand.self, CleanupCommand.self,
        ]
    )

    /// Parses, runs, and maps every error to a message and an exit status (usage errors are 2,
    /// not ArgumentParser's 64).
    static func main() async {
        SignalForwarder.install()
        do {
            var command = try parseAsRoot(withDefaultHTMLPath(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let status = exitCode(for: error)
            // ArgumentParser knows its own errors (usage, help, version); what it calls a plain
            // failure is podbench's or its environment's, which PodbenchError says how to end.
            if status == .failure {
                say(error)
                Foundation.exit(PodbenchError(error).exitStatus)
            }
            let message = fullMessage(for: error)
            if status == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { Console().error(message) }
            Foundation.exit(status == .validationFailure ? Podbench.ExitStatus.badInput.rawValue : status.rawValue)
        }
    }
}

/// Prints an error the one way podbench prints errors: `podbench: message (cause: ...)`;
/// problems in scenario files first each on a line of its own, as a compiler does
/// (`FILE:LINE:COLUMN: error: MESSAGE`).
func say(_ error: any Error) {
    let console = Console()
    if let problems = error as? ScenarioErrors {
        console.error(problems.description.terminalSafe)
        console.error("podbench: \(problems.errors.count) problem\(problems.errors.count == 1 ? "" : "s") in the scenario files; nothing was run")
        return
    }
    console.error("podbench: \(PodbenchError(error))".terminalSafe)
}

/// `report --html` may leave out its file: ArgumentParser has no option with an optional value,
/// so the default is put in wherever `--html` ends the line or another option follows it. The
/// subcommand is the first argument that is not an option (the root command takes no option
/// but --help and --version, so nothing can come before it but those); only `report`'s own
/// arguments are looked at, up to a `--`, after which nothing is an option.
func withDefaultHTMLPath(_ arguments: [String]) -> [String] {
    guard let command = arguments.firstIndex(where: { !$0.hasPrefix("-") }), arguments[command] == "report" else { return arguments }
    var arguments = arguments
    var index = command + 1
    while index < arguments.count, arguments[index] != "--" {
        if arguments[index] == "--html", index + 1 == arguments.count || arguments[index + 1].hasPrefix("-") {
            arguments.insert(ReportCommand.defaultHTML, at: index + 1)
        }
        index += 1
    }
    return arguments
}

/// Options every command that reads scenarios takes.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The scenario directory.", discussion: "Default: $PODBENCH_SCENARIOS, else ./Scenarios.", valueName: "dir"))
    var scenarios: String?

    var directory: String { ScenarioCatalog.directory(explicit: scenarios) }
}
