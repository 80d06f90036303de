import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchReport
import PodbenchSystem

@main
struct PodbenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "podbench",
        abstract: "Conformance and benchmark suite for communication between the containers of a Kubernetes pod.",
        discussion: """
            Exit status: 0 every MUST check passed (and no regression); 1 a check failed, or a \
            metric regressed under --fail-on-regression; 2 bad input or usage; 3 the runtime or \
            infrastructure failed (no verdict); 128 + N interrupted by signal N (130 SIGINT, 143 SIGTERM).
            """,
        version: "podbench " + VersionCommand.text,
        subcommands: [
            RunCommand.self, ListCommand.self, ValidateCommand.self, ReportCommand.self, HistoryCommand.self,
            CompareCommand.self, BaselineCommand.self, DatabaseCommand.self, RenderCommand.self, ImageCommand.self, CleanupCommand.self, VersionCommand.self,
        ]
    )

    /// Parses, runs, and maps every error to a message and an exit status (usage errors are 2,
    /// not ArgumentParser's 64). A standard output that could not be written (a closed pipe, a
    /// full disk) is said last, and makes a status of 0 a 3: what was asked for was not shown.
    static func main() async {
        StandardStreams.secure()
        SignalForwarder.install()
        ScenarioLimits.raiseOpenFileLimit()
        var status = await statusOfCommand()
        if let failure = StandardStreams.outputFailure {
            Console().error("podbench: \(StandardStreams.describeFailure(failure))")
            if status == 0 { status = ExitStatus.infrastructure.rawValue }
        }
        Foundation.exit(status)
    }

    private static func statusOfCommand() async -> Int32 {
        do {
            var command = try parseAsRoot(withDefaultHTMLPath(Array(CommandLine.arguments.dropFirst())))
            if let withStatus = command as? any CommandWithStatus {
                return try await withStatus.status().code
            } else if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch is StandardStreams.Failure {
            return ExitStatus.infrastructure.rawValue  // Said once, by main.
        } catch {
            let status = exitCode(for: error)
            // ArgumentParser knows its own errors (usage, help, version); what it calls a plain
            // failure is podbench's or its environment's, which PodbenchError says how to end.
            if status == .failure {
                say(error)
                return PodbenchError(error).exitStatus
            }
            let message = fullMessage(for: error)
            if status == .success {
                if !message.isEmpty { StandardStreams.output(message + "\n") }
                return 0
            }
            if !message.isEmpty { Console().error(message) }
            return status == .validationFailure ? ExitStatus.badInput.rawValue : status.rawValue
        }
    }
}


/// A command whose success has a status of its own (a run with a failed check, a comparison that
/// found a regression): it returns it, and only `PodbenchCommand.main` turns it into the
/// process's exit status.
protocol CommandWithStatus: AsyncParsableCommand {
    func status() async throws -> ExitStatus
}

extension CommandWithStatus {
    func run() async throws {
        _ = try await status()
    }
}
