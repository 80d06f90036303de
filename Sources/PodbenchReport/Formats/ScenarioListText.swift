import Foundation
import PodbenchCore
import PodbenchSystem

/// `podbench list`: a line per scenario, its name, the first line of its description, its
/// tags and its probes' roles.
public struct ScenarioListText: Sendable {
    public var console: Console

    public init(console: Console) {
        self.console = console
    }

    public func render(_ scenarios: [Scenario]) -> String {
        let width = scenarios.map(\.name.count).max() ?? 0
        return scenarios.map { scenario in
            var roles: [String] = []
            for role in scenario.pods.flatMap(\.containers).map(\.probe) where !roles.contains(role) { roles.append(role) }
            let tags = scenario.tags.isEmpty ? "" : " [\(scenario.tags.joined(separator: ", "))]"
            let summary = scenario.description.split(separator: "\n").first.map(String.init) ?? ""
            return scenario.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + summary.terminalSafe
                + console.paint((tags + " · " + roles.joined(separator: ", ")).terminalSafe, .dim)
        }.joined(separator: "\n")
    }
}
