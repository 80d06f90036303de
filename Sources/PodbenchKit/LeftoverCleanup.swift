import PodbenchCore
import PodbenchRuntime
import PodbenchStore

/// What `podbench cleanup` does: removes the temporary directories runs that are gone left
/// (those of runs still going are locked and stay), each runtime's own leftovers (pods and
/// volumes by podbench's labels), and records as interrupted the runs the database says are
/// running whose podbench is gone.
public struct LeftoverCleanup {
    public var runtimes: [any PodRuntime]
    /// The results database and its file, when there is one.
    public var store: (results: ResultStore, database: String)?

    public init(runtimes: [any PodRuntime], store: (results: ResultStore, database: String)?) {
        self.runtimes = runtimes
        self.store = store
    }

    /// What was removed (a line each) and the runs recorded as interrupted; with `dryRun`,
    /// what would be, changing nothing.
    public func run(dryRun: Bool = false) async throws -> (removed: [String], interrupted: [Int64]) {
        // The runtimes' pods first: a pod still running may use its run's directory.
        var removed: [String] = []
        for runtime in runtimes {
            removed += try await runtime.removeLeftovers(dryRun: dryRun)
        }
        removed += Cleanup.temporaryDirectories(dryRun: dryRun)
        guard let (results, database) = store else { return (removed, []) }
        let running = try results.runs().filter { $0.status == .running }.compactMap { run in run.id.map { ($0, run.lock) } }
        let abandoned = RunLock.abandoned(running, database: database)
        return (removed, dryRun ? abandoned : try abandoned.filter { try results.abandon($0) })
    }
}
