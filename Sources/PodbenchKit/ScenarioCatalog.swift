import Foundation
import PodbenchCore
import PodbenchSystem

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

    /// The scenarios of `directory` (nil: `directory(explicit:)`'s default) named, then those of
    /// them `tags` keeps (`select(_:tagged:from:)`); bad input ends with status 2.
    public static func select(_ names: [String], tagged tags: TagSelection = TagSelection(), in directory: String?) throws -> [Scenario] {
        try select(names, tagged: tags, from: ScenarioLoader.load(paths: [Self.directory(explicit: directory)]))
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
