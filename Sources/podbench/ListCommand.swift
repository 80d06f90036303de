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
            return
        }
        let width = scenarios.map(\.name.count).max() ?? 0
        for scenario in scenarios {
            var roles: [String] = []
            for role in scenario.pods.flatMap(\.containers).map(\.probe) where !roles.contains(role) { roles.append(role) }
            let containers = roles.joined(separator: ", ")
            let tags = scenario.tags.isEmpty ? "" : " [\(scenario.tags.joined(separator: ", "))]"
            let summary = scenario.description.split(separator: "\n").first.map(String.init) ?? ""
            console.print(scenario.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + summary.terminalSafe + console.paint((tags + " · " + containers).terminalSafe, .dim))
        }
    }
}
