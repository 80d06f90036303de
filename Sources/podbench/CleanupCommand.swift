import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchKit
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

        /// The runtime named; nil for all.
        var kind: RuntimeKind? {
            if case .one(let kind) = self { kind } else { nil }
        }
    }

    @Flag(name: .long, help: "Say what would be removed and recorded, changing nothing.") var dryRun = false

    @OptionGroup(title: "Kubernetes") var connection: KubectlOptions
    @OptionGroup(title: "CRI") var cri: CRIEndpointOption
    @OptionGroup var store: StoreOptions

    func validate() throws {
        let given = connection.given + flagsGiven(["--cri-endpoint": cri.criEndpoint != nil])
        if let problem = RuntimeRegistry.misplaced(given, on: runtime.kind, cleanup: true) { throw ValidationError(problem) }
    }

    func run() async throws {
        let console = Console()
        let results = FileManager.default.fileExists(atPath: store.db) ? (dryRun ? try store.openForReading() : try store.open()) : nil
        let (removed, interrupted) = try await LeftoverCleanup(runtimes: RuntimeRegistry.forCleanup(runtime.kind, settings), store: results.map { ($0, store.db) }).run(dryRun: dryRun)
        for line in removed { console.print("\(dryRun ? "would remove" : "removed") \(line)".terminalSafe) }
        for id in interrupted { console.print("\(dryRun ? "would record" : "recorded") run \(id) as interrupted: the podbench running it is gone") }
        let summary = removed.isEmpty && interrupted.isEmpty ? "nothing to remove" : dryRun ? "would remove \(removed.count); nothing was changed (--dry-run)" : "removed \(removed.count)"
        console.print("podbench: \(summary)")
    }

    /// What the runtimes' clean-ups are told: how to reach the cluster and the CRI.
    private var settings: RuntimeSettings {
        var settings = RuntimeSettings()
        settings.manifest.runLabel = "cleanup"
        settings.kubectl = connection.client
        settings.criEndpoint = cri.endpoint
        return settings
    }
}
