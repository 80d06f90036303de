import Foundation
import PodbenchCore

/// Finds the scenario directory and selects scenarios by name.
public enum ScenarioCatalog {
    /// `explicit`, else PODBENCH_SCENARIOS, else ./Scenarios, else a Scenarios directory
    /// above the executable (a build tree inside the checkout).
    public static func directory(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit { return explicit }
        if let fromEnvironment = environment["PODBENCH_SCENARIOS"], !fromEnvironment.isEmpty { return fromEnvironment }
        if FileManager.default.fileExists(atPath: "Scenarios") { return "Scenarios" }
        var directory = (Podbench.sibling("") as NSString).standardizingPath
        while directory != "/" && !directory.isEmpty {
            let candidate = (directory as NSString).appendingPathComponent("Scenarios")
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return "Scenarios"
    }

    /// The scenarios named (all of them for `all` or none), in the order of the directory, then
    /// those of them `tags` keeps. A name or tag that no scenario has is an error, with the
    /// nearest one that exists when it looks like a typo.
    public static func select(_ names: [String], tagged tags: TagSelection = TagSelection(), from scenarios: [Scenario]) throws(SelectionError) -> [Scenario] {
        let known = scenarios.map(\.name)
        let unknown = names.filter { !known.contains($0) && $0 != "all" }
        guard unknown.isEmpty else { throw SelectionError(.names(unknown: unknown, known: known)) }
        var knownTags: [String] = []
        for tag in scenarios.flatMap(\.tags) where !knownTags.contains(tag) { knownTags.append(tag) }
        let unknownTags = (tags.tags + tags.skipped).filter { !knownTags.contains($0) }
        guard unknownTags.isEmpty else { throw SelectionError(.tags(unknown: unknownTags, known: knownTags)) }
        let named = names.isEmpty || names.contains("all") ? scenarios : scenarios.filter { names.contains($0.name) }
        let selected = named.filter(tags.keeps)
        guard !selected.isEmpty || named.isEmpty else { throw SelectionError(.nothingLeft(tags)) }
        return selected
    }

    public struct SelectionError: Error, CustomStringConvertible, PodbenchErrorConvertible {
        public enum Kind: Sendable {
            case names(unknown: [String], known: [String])
            case tags(unknown: [String], known: [String])
            /// The tags leave none of the scenarios named.
            case nothingLeft(TagSelection)
        }

        public var kind: Kind

        public init(_ kind: Kind) {
            self.kind = kind
        }

        public var description: String {
            switch kind {
            case .names(let unknown, let known):
                "no scenario named \(Self.sought(unknown, among: known)); known: \(known.joined(separator: ", ")) (or 'all')"
            case .tags(let unknown, let known):
                "no scenario tagged \(Self.sought(unknown, among: known)); tags: \(known.joined(separator: ", "))"
            case .nothingLeft(let tags):
                "\(tags) leave none of the scenarios named"
            }
        }

        /// The words no scenario has, each with the nearest one that exists when it looks like a typo.
        private static func sought(_ unknown: [String], among known: [String]) -> String {
            unknown.map { word in "'\(word)'" + (EditDistance.nearest(to: word, among: known).map { " (did you mean '\($0)'?)" } ?? "") }
                .joined(separator: ", ")
        }

        public var podbenchError: PodbenchError { PodbenchError(.notFound, description) }
    }
}

/// Scenarios chosen by their tags (`--tag`, `--skip-tag`): those with any of `tags` (every
/// scenario when there is none) and none of `skipped`.
public struct TagSelection: Sendable, Equatable, CustomStringConvertible {
    public var tags: [String]
    public var skipped: [String]

    public init(tags: [String] = [], skipped: [String] = []) {
        self.tags = tags
        self.skipped = skipped
    }

    public func keeps(_ scenario: Scenario) -> Bool {
        (tags.isEmpty || scenario.tags.contains(where: tags.contains)) && !scenario.tags.contains(where: skipped.contains)
    }

    public var description: String {
        (tags.map { "--tag \($0)" } + skipped.map { "--skip-tag \($0)" }).joined(separator: " ")
    }
}

/// The nearest of some words to a mistyped one, for "did you mean".
enum EditDistance {
    /// The known word fewest edits away from `word`, when it is close enough to be a typo of it
    /// (at most a third of its characters, and at least 2, are wrong). Between words as near, the
    /// one made of the same letters wins ('icp': 'ipc' rather than 'tcp').
    static func nearest(to word: String, among known: [String]) -> String? {
        let limit = max(2, word.count / 3)
        return known.map { (word: $0, edits: distance(word, $0), letters: lettersApart(word, $0)) }
            .filter { $0.edits <= limit }
            .min { ($0.edits, $0.letters) < ($1.edits, $1.letters) }?.word
    }

    /// Insertions, deletions, substitutions and swaps of two neighbours (the optimal string
    /// alignment distance).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    /// How many letters one word has that the other lacks, and the other way round.
    private static func lettersApart(_ a: String, _ b: String) -> Int {
        var count: [Character: Int] = [:]
        for letter in a { count[letter, default: 0] += 1 }
        for letter in b { count[letter, default: 0] -= 1 }
        return count.values.reduce(0) { $0 + abs($1) }
    }
}
