import PodbenchReport
import PodbenchSystem

/// What `podbench baseline` does: sets, shows and clears the run later runs are compared with,
/// per runtime and host.
public enum BaselineTask {
    /// Makes run `runId` the baseline of its runtime and host; a run still going or
    /// interrupted cannot be one.
    public static func set(_ runId: Int64, in database: ResultsDatabase) throws {
        let store = try database.open()
        guard let record = try store.run(runId) else { throw database.noSuchRun(runId) }
        if record.status == .running || record.status == .interrupted {
            throw PodbenchError(.badInput, "run \(runId) is \(record.status.rawValue); a baseline must be a finished run")
        }
        try store.setBaseline(runId: runId)
        Console().print("podbench: run \(runId) is the baseline of runtime \(record.runtime) on \(record.host)".terminalSafe)
    }

    /// Lists the baselines, as lines or JSON.
    public static func show(_ database: ResultsDatabase, json: Bool) throws {
        let console = Console()
        let baselines = try database.openForReading().baselines()
        if json {
            console.print(try ListingJSON.baselines(baselines))
            return
        }
        if baselines.isEmpty { console.print("podbench: no baseline is set; 'podbench baseline set RUN' sets one") }
        for baseline in baselines {
            console.print("\(baseline.runtime)\t\(baseline.host)\trun \(baseline.runId)\tset \(baseline.setAt.formatted(.iso8601))".terminalSafe)
        }
    }

    /// Removes the baseline of `runtime` on `host` (nil: this machine).
    public static func clear(runtime: RuntimeKind, host: String?, in database: ResultsDatabase) throws {
        let host = host ?? Podbench.hostName
        let removed = try database.open().clearBaseline(runtime: runtime.rawValue, host: host)
        Console().print((removed ? "podbench: cleared the baseline of \(runtime) on \(host)" : "podbench: \(runtime) on \(host) had no baseline").terminalSafe)
    }
}
