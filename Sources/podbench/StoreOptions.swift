import ArgumentParser
import PodbenchCore
import Foundation
import PodbenchKit
import PodbenchReport
import PodbenchStore

/// The results database every command that reads or writes results takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The results database.", valueName: "path"))
    var db = "Results/podbench.sqlite"

    /// Opens the database to write to it (creating it when `mustExist` is false); one that must
    /// exist and does not, or that is not podbench's, is bad input (status 2).
    func open(mustExist: Bool = true) throws -> ResultStore {
        try requireFile(mustExist)
        return try ResultStore(path: db)
    }

    /// Opens an existing database read-only: read commands never write, migrate or lock it.
    func openForReading() throws -> ResultStore {
        try requireFile(true)
        return try ResultStore(readingAt: db)
    }

    private func requireFile(_ mustExist: Bool) throws {
        if mustExist && !FileManager.default.fileExists(atPath: db) {
            throw PodbenchError(.notFound, "there is no results database at \(db); 'podbench run' makes one, or --db names another")
        }
    }

    /// There is no run `id` in this database (status 2).
    func noSuchRun(_ id: Int64) -> PodbenchError {
        StoreError.noSuchRun(id, database: db).podbenchError
    }
}

/// `--tolerance PCT` of `compare` and `run --fail-on-regression`: one range, one message.
enum ToleranceOption {
    static let range = 1.0...1000.0

    /// Throws the usage error when `percent` is given and out of range (call from `validate()`).
    static func validate(_ percent: Double?) throws {
        if let percent, !range.contains(percent) {
            throw ValidationError("--tolerance must be a percentage from 1 to 1000: 25 lets a metric move 25% before it can count as regressed.")
        }
    }

    /// The tolerance as the fraction the regression rule takes (25 → 0.25).
    static func fraction(_ percent: Double?) -> Double? {
        percent.map { $0 / 100 }
    }
}

/// Which runs a report or the history shows.
struct SelectionOptions: ParsableArguments {
    @Option(name: .customLong("run"), help: ArgumentHelp("One run by id.", valueName: "id"))
    var runId: Int64?

    @Option(name: .long, help: ArgumentHelp("The newest N runs.", valueName: "N"))
    var last: Int?

    @Option(name: .customLong("scenario"), help: ArgumentHelp("Only this scenario (repeatable).", valueName: "name"))
    var scenarios: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only runs on this runtime.", valueName: "name"))
    var runtime: String?

    @Option(name: .long, help: ArgumentHelp("Only runs started since: 2026-11-01, 2026-11-01T08:00:00Z, or 7d / 12h ago.", valueName: "date"))
    var since: String?

    func validate() throws {
        if let last, last < 1 { throw ValidationError("--last must be at least 1.") }
        if runId != nil, last != nil { throw ValidationError("Give --run or --last, not both.") }
        if let since, SinceDate.parse(since) == nil {
            throw ValidationError("--since '\(since)' is not a date; write it like 2026-11-01, 2026-11-01T08:00:00Z, 7d or 12h.")
        }
    }

    var filter: RunFilter {
        RunFilter(ids: runId.map { [$0] }, last: last, scenarios: scenarios, runtime: runtime, since: since.flatMap { SinceDate.parse($0) })
    }
}

/// `--since` values: a date, a date and time, or an age.
enum SinceDate {
    static func parse(_ text: String, now: Date = Date()) -> Date? {
        if let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 {
            switch unit {
            case "d": return now.addingTimeInterval(-amount * 86_400)
            case "h": return now.addingTimeInterval(-amount * 3_600)
            case "m": return now.addingTimeInterval(-amount * 60)
            default: break
            }
        }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text + "T00:00:00Z", strategy: .iso8601)
    }
}
