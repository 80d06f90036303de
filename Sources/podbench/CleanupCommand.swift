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
            local: the runtimes' temporary directories (and containers still running in them). In the database (--db), runs still marked running whose podbench is gone are recorded as interrupted. podman: pods and volumes labelled by podbench. kubernetes: podbench's pods in the namespace. 'all' (the default) is local and podman, where podman is installed. Runs still going on this machine keep what they use; a run on another machine in the same namespace is not known here. Local pods need no more: their namespaces and IPC objects end with their processes.
            """
    )

    @Option(name: .long, help: "Which runtime's leftovers: local, podman, kubernetes, or all (local and podman).")
    var runtime = "all"

    @OptionGroup(title: "Kubernetes") var connection: KubectlOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard ["all", "local", "podman", "kubernetes"].contains(runtime) else { throw ValidationError("--runtime must be local, podman, kubernetes or all.") }
        if connection.given && runtime != "kubernetes" { throw ValidationError("--context, --namespace and --kubectl are for --runtime kubernetes.") }
    }

    func run() async throws {
        let console = Console()
        var removed = Cleanup.temporaryDirectories()
        if runtime == "podman" || (runtime == "all" && Podbench.onPath("podman")) {
            try await withWorkDirectory(console) { work in
                removed += try await Cleanup.podman(Podman.configured(in: work))
            }
        }
        if runtime == "kubernetes" {
            removed += try await Cleanup.kubernetes(connection.client)
        }
        for line in removed { console.print("removed \(line)".terminalSafe) }
        let interrupted = try abandonedRuns()
        for id in interrupted { console.print("recorded run \(id) as interrupted: the podbench running it is gone") }
        console.print("podbench: \(removed.isEmpty && interrupted.isEmpty ? "nothing to remove" : "removed \(removed.count)")")
    }

    /// Records the runs the database says are running, but whose podbench is gone (`RunLock`),
    /// as interrupted; their ids.
    private func abandonedRuns() throws -> [Int64] {
        guard FileManager.default.fileExists(atPath: store.db) else { return [] }
        let results = try store.open()
        let running = try results.runs().filter { $0.status == "running" }.compactMap(\.id)
        let abandoned = RunLock.abandoned(running, database: store.db)
        for id in abandoned { try results.finishRun(id, status: "interrupted") }
        return abandoned
    }
}
