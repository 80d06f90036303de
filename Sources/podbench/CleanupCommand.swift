import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchKit
import PodbenchReport
import PodbenchRuntime
import PodbenchSystem

struct CleanupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Remove what interrupted runs left: pods and volumes by podbench's labels, temporary directories.",
        discussion: """
            local: the runtimes' temporary directories (and containers still running in them). In the database (--db), runs still marked running whose podbench is gone are recorded as interrupted. host: the same directories (its plain processes need nothing more). podman: pods and volumes labelled by podbench. kubernetes: podbench's pods in the namespace. cri: podbench's pod sandboxes at the endpoint. 'all' (the default) is every runtime of this machine podbench can reach: local, podman where it is installed, and the CRI where its endpoint is a socket (--cri-endpoint, $PODBENCH_CRI_ENDPOINT or containerd's); a cluster is never cleaned unless named. Runs still going on this machine keep what they use; a run on another machine in the same namespace is not known here. Local pods need no more: their namespaces and IPC objects end with their processes.
            """
    )

    @Option(name: .long, help: "Which runtime's leftovers: local, host, podman, kubernetes, cri, or all (every runtime of this machine it can reach).")
    var runtime: Selection = .all

    /// A runtime, or `all`: every runtime of this machine podbench can reach.
    enum Selection: ExpressibleByArgument, Equatable {
        case all
        case one(RuntimeKind)

        init?(argument: String) {
            if argument == "all" { self = .all } else if let kind = RuntimeKind(rawValue: argument) { self = .one(kind) } else { return nil }
        }

        static var allValueStrings: [String] { RuntimeKind.allCases.map(\.rawValue) + ["all"] }
    }

    @Flag(name: .long, help: "Say what would be removed and recorded, changing nothing.") var dryRun = false

    @OptionGroup(title: "Kubernetes") var connection: KubectlOptions
    @OptionGroup(title: "CRI") var cri: CRIEndpointOption
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if connection.given && runtime != .one(.kubernetes) { throw ValidationError("--context, --namespace and --kubectl are for --runtime kubernetes.") }
        if cri.criEndpoint != nil && runtime != .one(.cri) && runtime != .all { throw ValidationError("--cri-endpoint is for --runtime cri or all.") }
    }

    func run() async throws {
        let console = Console()
        let results = FileManager.default.fileExists(atPath: store.db) ? (dryRun ? try store.openForReading() : try store.open()) : nil
        let (removed, interrupted) = try await LeftoverCleanup(runtimes: runtimes, store: results.map { ($0, store.db) }).run(dryRun: dryRun)
        for line in removed { console.print("\(dryRun ? "would remove" : "removed") \(line)".terminalSafe) }
        for id in interrupted { console.print("\(dryRun ? "would record" : "recorded") run \(id) as interrupted: the podbench running it is gone") }
        let summary = removed.isEmpty && interrupted.isEmpty ? "nothing to remove" : dryRun ? "would remove \(removed.count); nothing was changed (--dry-run)" : "removed \(removed.count)"
        console.print("podbench: \(summary)")
    }

    /// The runtimes whose leftovers go: the one named, or with `all` those of this machine it
    /// can reach (podman where installed, the CRI where its endpoint is a socket).
    private var runtimes: [any PodRuntime] {
        let podman = PodmanRuntime(options: ManifestOptions(engine: .podman, image: "", runLabel: "cleanup"))
        let kubernetes = KubernetesRuntime(options: ManifestOptions(engine: .kubernetes, image: "", runLabel: "cleanup"), kubectl: connection.client)
        let containerd = CRIRuntime(endpoint: cri.endpoint, options: ManifestOptions(image: "", runLabel: "cleanup"))
        switch runtime {
        case .all:
            var info = stat()
            let reachable = stat(cri.endpoint.path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
            return (Podbench.onPath("podman") ? [podman] : []) + (reachable ? [containerd] : [])
        case .one(.local), .one(.host): return []
        case .one(.podman): return [podman]
        case .one(.kubernetes): return [kubernetes]
        case .one(.cri): return [containerd]
        }
    }
}
