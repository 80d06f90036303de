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

    /// The scenarios named (all of them for `all`), in the order of the directory.
    public static func select(_ names: [String], from scenarios: [Scenario]) throws(SelectionError) -> [Scenario] {
        let known = Set(scenarios.map(\.name))
        let unknown = names.filter { !known.contains($0) && $0 != "all" }
        guard unknown.isEmpty else { throw SelectionError(unknown: unknown, known: scenarios.map(\.name)) }
        if names.isEmpty || names.contains("all") { return scenarios }
        return scenarios.filter { names.contains($0.name) }
    }

    public struct SelectionError: Error, CustomStringConvertible, PodbenchErrorConvertible {
        public var unknown: [String]
        public var known: [String]

        public var description: String {
            "no scenario named \(unknown.map { "'\($0)'" }.joined(separator: ", ")); known: \(known.joined(separator: ", ")) (or 'all')"
        }

        public var podbenchError: PodbenchError { PodbenchError(.notFound, description) }
    }
}
