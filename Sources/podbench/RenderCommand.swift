import ArgumentParser
import PodbenchKit

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
    var runtime: ManifestEngine = .kubernetes

    @Option(name: .long, help: ArgumentHelp("The RuntimeClass pods run under (Kubernetes).", valueName: "name"))
    var runtimeClass: String?

    func validate() throws {
        guard !names.isEmpty else { throw ValidationError("Name the scenarios to render, or 'all'.") }
        if let runtimeClass { try usage { try FlagValues.validateRuntimeClass(runtimeClass) } }
    }

    func run() throws {
        try ScenarioTask.render(names, in: scenarioOptions.scenarios, pods: pods.flags, engine: runtime, runtimeClass: runtimeClass)
    }
}
