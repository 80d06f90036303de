import Foundation
import PodbenchCore
import PodbenchSystem

/// What the command line does around every command: the streams made safe and signals
/// forwarded before it, its errors said the one way podbench says them and mapped to an exit
/// status, and the process ended after it.
public enum CommandLineSession {
    /// Makes the process ready for a command.
    public static func begin() {
        StandardStreams.secure()
        SignalForwarder.install()
        ScenarioLimits.raiseOpenFileLimit()
    }

    /// Ends the process with `status`. A standard output that could not be written (a closed
    /// pipe, a full disk) is said last, and makes a status of 0 a 3: what was asked for was not
    /// shown.
    public static func end(_ status: Int32) -> Never {
        var status = status
        if let failure = StandardStreams.outputFailure {
            Console().error("podbench: \(StandardStreams.describeFailure(failure))")
            if status == 0 { status = ExitStatus.infrastructure.rawValue }
        }
        exit(status)
    }

    /// Says an error of podbench or its environment and returns its exit status: problems in
    /// scenario files each on a line of its own, as a compiler says them
    /// (`FILE:LINE:COLUMN: error: MESSAGE`), anything else as `podbench: message (cause: ...)`.
    /// A standard output that failed is said once, by `end`.
    public static func status(of error: any Error) -> Int32 {
        let console = Console()
        if error is StandardStreams.Failure {
            return ExitStatus.infrastructure.rawValue
        } else if let problems = error as? ScenarioErrors {
            console.error(problems.description.terminalSafe)
            console.error("podbench: \(problems.errors.count) problem\(problems.errors.count == 1 ? "" : "s") in the scenario files; nothing was run")
        } else {
            console.error("podbench: \(PodbenchError(error))".terminalSafe)
        }
        return PodbenchError(error).exitStatus
    }

    /// Prints what the argument parser says to standard output (help, the version).
    public static func output(_ text: String) {
        StandardStreams.output(text + "\n")
    }

    /// Prints what the argument parser says to standard error (a usage error).
    public static func error(_ text: String) {
        Console().error(text)
    }
}
