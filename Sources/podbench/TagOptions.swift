import Foundation
import ArgumentParser
import PodbenchKit

/// `--tag` and `--skip-tag`: scenarios chosen by their tags (`run`, `list`).
struct TagOptions: ParsableArguments {
    @Option(name: .customLong("tag"), help: ArgumentHelp("Only scenarios with this tag (repeatable, or a comma list).", valueName: "tag"))
    var tags: [String] = []

    @Option(name: .customLong("skip-tag"), help: ArgumentHelp("Leave out scenarios with this tag (repeatable, or a comma list).", valueName: "tag"))
    var skipped: [String] = []

    var selection: TagSelection {
        TagSelection(tags: Self.split(tags), skipped: Self.split(skipped))
    }

    private static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }
}
