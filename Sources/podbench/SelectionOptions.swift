import ArgumentParser
import Foundation
import PodbenchProbeInterface
import PodbenchStore

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
            throw ValidationError("--since '\(since)' is not a date since 1970; write it like 2026-11-01, 2026-11-01T08:00:00Z, 7d or 12h.")
        }
    }

    var filter: RunFilter {
        RunFilter(ids: runId.map { [$0] }, last: last, scenarios: scenarios, runtime: runtime, since: since.flatMap { SinceDate.parse($0) })
    }
}

/// `--since` values: a date, a date and time, or an age.
enum SinceDate {
    /// The date, or nil when `text` is none or is before 1970 (no run is older; the database
    /// orders dates as text, which years before 1 do not keep).
    static func parse(_ text: String, now: Date = Date()) -> Date? {
        let date: Date?
        if let unit = text.last, "dhm".contains(unit), let amount = NumberText.decimal(text.dropLast()) {
            date = now.addingTimeInterval(-amount * (unit == "d" ? 86_400 : unit == "h" ? 3_600 : 60))
        } else {
            date = (try? Date(text, strategy: .iso8601)) ?? (try? Date(text + "T00:00:00Z", strategy: .iso8601))
        }
        return date.flatMap { $0.timeIntervalSince1970 >= 0 ? $0 : nil }
    }
}
