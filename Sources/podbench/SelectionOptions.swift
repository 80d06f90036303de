import ArgumentParser
import PodbenchKit

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

    var selection: RunSelection {
        RunSelection(runId: runId, last: last, scenarios: scenarios, runtime: runtime, since: since)
    }

    func validate() throws {
        try usage(selection.validate)
    }
}
