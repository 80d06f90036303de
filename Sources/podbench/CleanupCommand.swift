import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchKit
import PodbenchReport
import PodbenchRuntime

struct CleanupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Remove what interrupted runs left: pods and volumes by podbench's labels, temporary directories.",
        discussion: """
            local: the runtimes' temporary directories (and containers still running in them). In the database (--db), runs still marked running whose podbench is gone are recorded as interrupted. podman: pods and volumes labelled by podbench. kubernetes: podbench's pods in the namespace. cri: podbench's pod sandboxes at the endpoint. 'all' (the default) is local and podman, where podman is installed. Runs still going on this machine keep what they use; a run on another machine in the same namespace is not known here. Local pods need no more: their namespaces and IPC objects end with their processes.
            """
    )

    @Option(name: .long, help: "Which runtime's leftovers: local, podman, kubernetes, or all (local and podman).")
    var runtime: Selection = .all

    /// A runtime, or `all`: every runtime of this machine (local, and podman where installed).
    enum Selection: ExpressibleByArgument, Equatable {
        case all
        case one(RuntimeKind)

        init?(argument: String) {
            if argument == "all" { self = .all } else if let kind = RuntimeKind(rawValue: argument) { self = .one(kind) } else { return nil }
        }

        static var allValueStrings: [String] { RuntimeKind.allCases.map(\.rawValue) + ["all"] }
    }

    @OptionGroup(title: "Kubernetes") var connection: KubectlOptions
    @OptionGroup(title: "CRI") var cri: CRIEndpointOption
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if connection.given && runtime != .one(.kubernetes) { throw ValidationError("--context, --namespace and --kubectl are for --runtime kubernetes.") }
        if cri.criEndpoint != nil && runtime != .one(.cri) { throw ValidationError("--cri-endpoint is for --runtime cri.") }
    }

    func run() async throws {
        let console = Console()
        let results = FileManager.default.fileExists(atPath: store.db) ? try store.open() : nil
        let (removed, interrupted) = try await LeftoverCleanup(runtimes: runtimes, store: results.map { ($0, store.db) }).run()
        for line in removed { console.print("removed \(line)".terminalSafe) }
        for id in interrupted { console.print("recorded run \(id) as interrupted: the podbench running it is gone") }
        console.print("podbench: \(removed.isEmpty && interrupted.isEmpty ? "nothing to remove" : "removed \(removed.count)")")
    }

    /// The runtimes whose leftovers go: the one named, or with `all` those of this machine.
    private var runtimes: [any PodRuntime] {
        let podman = PodmanRuntime(options: ManifestOptions(engine: .podman, image: "", runLabel: "cleanup"))
        let kubernetes = KubernetesRuntime(options: ManifestOptions(engine: .kubernetes, image: "", runLabel: "cleanup"), kubectl: connection.client)
        switch runtime {
        case .all: return Podbench.onPath("podman") ? [podman] : []
        case .one(.local), .one(.host): return []
        case .one(.podman): return [podman]
        case .one(.kubernetes): return [kubernetes]
        case .one(.cri): return [CRIRuntime(endpoint: cri.endpoint, options: ManifestOptions(image: "", runLabel: "cleanup"))]
        }
    }
}
