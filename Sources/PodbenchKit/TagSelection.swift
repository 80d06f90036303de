import PodbenchCore

/// Scenarios chosen by their tags (`--tag`, `--skip-tag`): those with any of `tags` (every
/// scenario when there is none) and none of `skipped`.
public struct TagSelection: Sendable, Equatable, CustomStringConvertible {
    public var tags: [String]
    public var skipped: [String]

    public init(tags: [String] = [], skipped: [String] = []) {
        self.tags = tags
        self.skipped = skipped
    }

    /// The tags as `--tag` and `--skip-tag` give them: each repeatable, or a comma list.
    public init(flags tags: [String], skipping skipped: [String]) {
        self.init(tags: tags.flatMap(FlagValues.commaList), skipped: skipped.flatMap(FlagValues.commaList))
    }

    public func keeps(_ scenario: Scenario) -> Bool {
        (tags.isEmpty || scenario.tags.contains(where: tags.contains)) && !scenario.tags.contains(where: skipped.contains)
    }

    public var description: String {
        (tags.map { "--tag \($0)" } + skipped.map { "--skip-tag \($0)" }).joined(separator: " ")
    }
}
