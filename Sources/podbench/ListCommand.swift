import ArgumentParser
import PodbenchReport
import PodbenchSystem

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the scenarios.")

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup(title: "Tags") var tagOptions: TagOptions
    @Flag(name: .long, help: "Print the scenarios as JSON: name, description, tags, pods, probes and checks.") var json = false

    func run() throws {
        let console = Console()
        let scenarios = try scenarioOptions.select([], tagged: tagOptions.selection)
        if json {
            console.print(try ListingJSON.scenarios(scenarios))
        } else if !scenarios.isEmpty {
            console.print(ScenarioListText(console: console).render(scenarios))
        }
    }
}
