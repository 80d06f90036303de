import ArgumentParser
import PodbenchKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files without running them.",
        discussion: "Prints every problem as FILE:LINE:COLUMN: error: MESSAGE and exits 2 when there is one."
    )

    @Argument(help: "Scenario files or directories (default: the scenario directory).")
    var files: [String] = []

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() throws {
        try ScenarioTask.validate(files, directory: scenarioOptions.scenarios)
    }
}
