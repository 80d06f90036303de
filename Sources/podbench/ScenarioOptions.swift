import ArgumentParser
import PodbenchCore
import PodbenchKit

/// Options every command that reads scenarios takes.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The scenario directory.", discussion: "Default: $PODBENCH_SCENARIOS, else ./Scenarios.", valueName: "dir"))
    var scenarios: String?

    var directory: String { ScenarioCatalog.directory(explicit: scenarios) }

    /// Loads the directory's scenarios and selects some by name (`all` or none for every
    /// one), then by tag; bad input ends with status 2.
    func select(_ names: [String], tagged tags: TagSelection = TagSelection()) throws -> [Scenario] {
        try ScenarioCatalog.select(names, tagged: tags, from: ScenarioLoader.load(paths: [directory]))
    }
}
