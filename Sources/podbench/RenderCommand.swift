import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchRuntime
import PodbenchSystem

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print the Pod manifests of scenarios, as the podman and Kubernetes runtimes apply them.",
        discussion: "Multi-document YAML, one document per pod. A scenario that needs more than --pod-security allows is left out, with the reason on standard error."
    )

    @Argument(help: "Scenario names, or 'all'.") var names: [String] = []
    @OptionGroup var scenarioOptions: ScenarioOptions
    @OptionGroup var pods: PodOptions

    @Option(name: .long, help: "For which engine: kubernetes or podman.")
    var runtime: ManifestOptions.Engine = .kubernetes

    @Option(name: .long, help: ArgumentHelp("The RuntimeClass pods run under (Kubernetes).", valueName: "name"))
    var runtimeClass: String?

    func validate() throws {
        guard !names.isEmpty else { throw ValidationError("Name the scenarios to render, or 'all'.") }
        if let runtimeClass { try validateRuntimeClass(runtimeClass) }
    }

    func run() throws {
        let console = Console()
        let scenarios = try scenarioOptions.select(names)
        var options = pods.options
        options.engine = runtime
        options.runLabel = "render"
        options.runtimeClass = runtimeClass
        var documents: [String] = []
        for scenario in scenarios {
            if let refusal = PodManifest.refusal(scenario, options) {
                console.error("podbench: \(scenario.name) left out: \(refusal)")
                continue
            }
            documents.append("# scenario \(scenario.name)\n" + (try PodManifest.yaml(scenario, options)))
        }
        StandardStreams.output(documents.joined(separator: "---\n"))
    }
}
