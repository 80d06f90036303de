import ArgumentParser
import PodbenchKit

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
        version: "podbench " + PodbenchVersion.text,
        subcommands: [
            RunCommand.self, ListCommand.self, ValidateCommand.self, ReportCommand.self, HistoryCommand.self,
            CompareCommand.self, BaselineCommand.self, DatabaseCommand.self, RenderCommand.self, ImageCommand.self, CleanupCommand.self, VersionCommand.self,
        ]
    )

    /// Parses, runs, and maps every error to a message and an exit status (usage errors are 2,
    /// not ArgumentParser's 64).
    static func main() async {
        CommandLineSession.begin()
        CommandLineSession.end(await statusOfCommand())
    }

    private static func statusOfCommand() async -> Int32 {
        do {
            var command = try parseAsRoot(ReportTask.withDefaultHTML(Array(CommandLine.arguments.dropFirst())))
            if let withStatus = command as? any CommandWithStatus {
                return try await withStatus.status().code
            } else if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let status = exitCode(for: error)
            // ArgumentParser knows its own errors (usage, help, version); what it calls a plain
            // failure is podbench's or its environment's, which Kit says and maps.
            if status == .failure { return CommandLineSession.status(of: error) }
            let message = fullMessage(for: error)
            if status == .success {
                if !message.isEmpty { CommandLineSession.output(message) }
                return 0
            }
            if !message.isEmpty { CommandLineSession.error(message) }
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

/// Runs a validation of Kit's, its usage errors made ArgumentParser's, said with the command's
/// usage (status 2).
func usage(_ validation: () throws -> Void) throws {
    do {
        try validation()
    } catch let error as UsageError {
        throw ValidationError(error.description)
    }
}
