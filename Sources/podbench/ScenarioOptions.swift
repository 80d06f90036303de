import ArgumentParser

/// Options every command that reads scenarios takes.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The scenario directory.", discussion: "Default: $PODBENCH_SCENARIOS, else ./Scenarios.", valueName: "dir"))
    var scenarios: String?
}
