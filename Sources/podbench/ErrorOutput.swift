import PodbenchCore
import PodbenchSystem

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
