import PodbenchCore
import PodbenchReport
import PodbenchRuntime
import PodbenchSystem

/// What `podbench list`, `validate` and `render` do with scenario files.
public enum ScenarioTask {
    /// Lists the scenarios of `directory` that `tags` keeps, as text or JSON.
    public static func list(in directory: String?, tagged tags: TagSelection, json: Bool) throws {
        let console = Console()
        let scenarios = try ScenarioCatalog.select([], tagged: tags, in: directory)
        if json {
            console.print(try ListingJSON.scenarios(scenarios))
        } else if !scenarios.isEmpty {
            console.print(ScenarioListText(console: console).render(scenarios))
        }
    }

    /// Checks the scenario files of `paths` (none: the scenario directory) and names them;
    /// every problem is thrown (`ScenarioErrors`).
    public static func validate(_ paths: [String], directory: String?) throws {
        let scenarios = try ScenarioLoader.load(paths: paths.isEmpty ? [ScenarioCatalog.directory(explicit: directory)] : paths)
        Console().print("ok: \(scenarios.count) scenario\(scenarios.count == 1 ? "" : "s") valid (\(scenarios.map(\.name).joined(separator: ", ")))".terminalSafe)
    }

    /// Prints the pod manifests of the scenarios named, for `engine`, as multi-document YAML; a
    /// scenario that needs more than the pods' PodSecurity allows is left out, with the reason
    /// on standard error.
    public static func render(_ names: [String], in directory: String?, pods: PodFlags, engine: ManifestEngine, runtimeClass: String?) throws {
        let console = Console()
        var options = pods.manifest
        options.engine = engine
        options.runLabel = "render"
        options.runtimeClass = runtimeClass
        var documents: [String] = []
        for scenario in try ScenarioCatalog.select(names, in: directory) {
            if let refusal = PodManifest.refusal(scenario, options) {
                console.error("podbench: \(scenario.name) left out: \(refusal)")
                continue
            }
            documents.append("# scenario \(scenario.name)\n" + (try PodManifest.yaml(scenario, options)))
        }
        StandardStreams.output(documents.joined(separator: "---\n"))
    }
}
