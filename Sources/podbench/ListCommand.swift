import ArgumentParser
import PodbenchKit

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the scenarios.")

    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup(title: "Tags") var tagOptions: TagOptions
    @Flag(name: .long, help: "Print the scenarios as JSON: name, description, tags, pods, probes and checks.") var json = false

    func run() throws {
        try ScenarioTask.list(in: scenarioOptions.scenarios, tagged: tagOptions.selection, json: json)
    }
}
