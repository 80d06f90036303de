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
            Exit status: 0 every MUST check passed (and no regression); 1 a check failed, or a \
            metric regressed under --fail-on-regression; 2 bad input or usage; 3 the runtime or \
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

