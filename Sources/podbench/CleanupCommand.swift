import ArgumentParser
import PodbenchKit

struct CleanupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup",
        abstract: "Remove what interrupted runs left: pods and volumes by podbench's labels, temporary directories.",
        discussion: """
            local: the runtimes' temporary directories (and containers still running in them). In the database (--db), runs still marked running whose podbench is gone are recorded as interrupted. host: the same directories (its plain processes need nothing more). podman: pods and volumes labelled by podbench. kubernetes: podbench's pods in the namespace. cri: podbench's pod sandboxes at the endpoint. 'all' (the default) is every runtime of this machine podbench can reach: local, podman where it is installed, and the CRI where its endpoint is a socket (--cri-endpoint, $PODBENCH_CRI_ENDPOINT or containerd's); a cluster is never cleaned unless named. Runs still going on this machine keep what they use; a run on another machine in the same namespace is not known here. Local pods need no more: their namespaces and IPC objects end with their processes.
            """
    )

    @Option(name: .long, help: "Which runtime's leftovers: local, host, podman, kubernetes, cri, or all (every runtime of this machine it can reach).")
    var runtime: CleanupTask.Scope = .all

    @Flag(name: .long, help: "Say what would be removed and recorded, changing nothing.") var dryRun = false

    @OptionGroup(title: "Kubernetes") var connection: KubectlOptions
    @OptionGroup(title: "CRI") var cri: CRIEndpointOption
    @OptionGroup var store: StoreOptions

    /// What the flags ask.
    private var task: CleanupTask {
        var task = CleanupTask()
        task.scope = runtime
        task.kubectl = connection.flags
        task.cri = cri.flag
        task.database = store.database
        task.dryRun = dryRun
        return task
    }

    func validate() throws {
        try usage(task.validate)
    }

    func run() async throws {
        try await task.run()
    }
}
