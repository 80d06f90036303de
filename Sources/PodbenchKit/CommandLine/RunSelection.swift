import Foundation
import PodbenchStore

/// Which runs a report or the history shows, as flags give them.
public struct RunSelection: Sendable {
    /// One run by id (`--run`).
    public var runId: Int64?
    /// The newest N runs (`--last`).
    public var last: Int?
    /// Only these scenarios (`--scenario`).
    public var scenarios: [String] = []
    /// Only runs on this runtime (`--runtime`).
    public var runtime: String?
    /// Only runs started since (`--since`): a date, a date and time, or an age (7d, 12h).
    public var since: String?

    public init(runId: Int64? = nil, last: Int? = nil, scenarios: [String] = [], runtime: String? = nil, since: String? = nil) {
        self.runId = runId
        self.last = last
        self.scenarios = scenarios
        self.runtime = runtime
        self.since = since
    }

    /// Throws what is wrong with the selection.
    public func validate() throws(UsageError) {
        if let last, last < 1 { throw UsageError("--last must be at least 1.") }
        if runId != nil, last != nil { throw UsageError("Give --run or --last, not both.") }
        if let since, Self.date(since) == nil {
            throw UsageError("--since '\(since)' is not a date since 1970; write it like 2026-11-01, 2026-11-01T08:00:00Z, 7d or 12h.")
        }
    }

    var filter: RunFilter {
        RunFilter(ids: runId.map { [$0] }, last: last, scenarios: scenarios, runtime: runtime, since: since.flatMap { Self.date($0) })
    }

    /// The date `--since` means, or nil when `text` is none or is before 1970 (no run is
    /// older; the database orders dates as text, which years before 1 do not keep).
    static func date(_ text: String, now: Date = Date()) -> Date? {
        let date: Date?
        if let unit = text.last, "dhm".contains(unit), let amount = FlagValues.decimal(String(text.dropLast())) {
            date = now.addingTimeInterval(-amount * (unit == "d" ? 86_400 : unit == "h" ? 3_600 : 60))
        } else {
            date = (try? Date(text, strategy: .iso8601)) ?? (try? Date(text + "T00:00:00Z", strategy: .iso8601))
        }
        return date.flatMap { $0.timeIntervalSince1970 >= 0 ? $0 : nil }
    }
}
