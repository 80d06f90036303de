import ArgumentParser
import PodbenchKit

/// `--tag` and `--skip-tag`: scenarios chosen by their tags (`run`, `list`).
struct TagOptions: ParsableArguments {
    @Option(name: .customLong("tag"), help: ArgumentHelp("Only scenarios with this tag (repeatable, or a comma list).", valueName: "tag"))
    var tags: [String] = []

    @Option(name: .customLong("skip-tag"), help: ArgumentHelp("Leave out scenarios with this tag (repeatable, or a comma list).", valueName: "tag"))
    var skipped: [String] = []

    var selection: TagSelection { TagSelection(flags: tags, skipping: skipped) }
}
