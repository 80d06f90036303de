import Foundation
import PodbenchReport
import PodbenchSystem

/// What `podbench db` and `podbench history` do with the results database as a whole.
public enum DatabaseTask {
    /// Deletes the runs beyond the newest `keep`, or those started more than `olderThanDays`
    /// days ago, and all they hold; baselines and running runs are kept.
    public static func prune(_ database: ResultsDatabase, keep: Int?, olderThanDays days: Double?) throws {
        let store = try database.open()
        let removed = try keep.map { try store.prune(keep: $0) } ?? store.prune(startedBefore: Date().addingTimeInterval(-(days ?? 0) * 86_400))
        Console().print("podbench: deleted \(removed) run\(removed == 1 ? "" : "s")")
    }

    /// Writes every run as JSON lines to `file`, or to standard output.
    public static func export(_ database: ResultsDatabase, to file: String?) throws {
        try JSONReport.export(database.openForReading(), file: file)
    }

    /// Lists the runs `selection` selects, a line each (or JSON), newest last, baselines marked.
    public static func history(_ database: ResultsDatabase, _ selection: RunSelection, json: Bool) throws {
        let console = Console()
        let store = try database.openForReading()
        let runs = try store.runs(selection.filter)
        let baselines = Set(try store.baselines().map(\.runId))
        console.print(json ? try ListingJSON.history(runs, baselines: baselines) : HistoryText(console: console).render(runs, baselines: baselines))
    }
}
