import PodbenchRuntime
import PodbenchSystem

/// What `podbench cleanup` is asked, as flags give it: which runtime's leftovers, how to reach
/// a cluster and the CRI, and the database whose abandoned runs are recorded as interrupted.
public struct CleanupTask: Sendable {
    /// A runtime, or every runtime of this machine podbench can reach.
    public enum Scope: Equatable, Sendable, RawRepresentable, CaseIterable {
        case all
        case one(RuntimeKind)

        public init?(rawValue: String) {
            if rawValue == "all" { self = .all } else if let kind = RuntimeKind(rawValue: rawValue) { self = .one(kind) } else { return nil }
        }

        public var rawValue: String {
            if case .one(let kind) = self { kind.rawValue } else { "all" }
        }

        public static var allCases: [Scope] { RuntimeKind.allCases.map(Scope.one) + [.all] }

        /// The runtime named; nil for all.
        var kind: RuntimeKind? {
            if case .one(let kind) = self { kind } else { nil }
        }
    }

    public var scope = Scope.all
    public var kubectl = KubectlFlags()
    public var cri = CRIEndpointFlag()
    public var database = ResultsDatabase(ResultsDatabase.defaultPath)
    /// Whether it only says what would be removed and recorded.
    public var dryRun = false

    public init() {}

    /// Throws when a flag of a runtime that is not cleaned is given: it would be ignored.
    public func validate() throws(UsageError) {
        let given = kubectl.given + flagsGiven(["--cri-endpoint": cri.criEndpoint != nil])
        if let problem = RuntimeRegistry.misplaced(given, on: scope.kind, cleanup: true) { throw UsageError(problem) }
    }

    /// Removes the leftovers, says each, and a summary.
    public func run() async throws {
        let console = Console()
        var settings = RuntimeSettings()
        settings.manifest.runLabel = "cleanup"
        settings.kubectl = kubectl.client
        settings.criEndpoint = cri.endpoint
        let results = database.exists ? (dryRun ? try database.openForReading() : try database.open()) : nil
        let (removed, interrupted) = try await LeftoverCleanup(runtimes: RuntimeRegistry.forCleanup(scope.kind, settings), store: results.map { ($0, database.path) }).run(dryRun: dryRun)
        for line in removed { console.print("\(dryRun ? "would remove" : "removed") \(line)".terminalSafe) }
        for id in interrupted { console.print("\(dryRun ? "would record" : "recorded") run \(id) as interrupted: the podbench running it is gone") }
        let summary = removed.isEmpty && interrupted.isEmpty ? "nothing to remove" : dryRun ? "would remove \(removed.count); nothing was changed (--dry-run)" : "removed \(removed.count)"
        console.print("podbench: \(summary)")
    }
}
