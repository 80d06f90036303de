import Foundation
import PodbenchProbeInterface
import Testing

/// Scenarios/README.md describes every probe role, its parameters, its checks and its metrics,
/// as the probe catalogue declares them: a role, a check or a parameter added without a word
/// in the README fails here.
@Suite struct ScenarioDocumentationTests {
    static let readme = (try? String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scenarios/README.md").standardized, encoding: .utf8)) ?? ""

    /// The text of the README between a `## title` and the next `## `.
    static func section(_ title: String) -> String {
        guard let start = readme.range(of: "\n## \(title)\n") else { return "" }
        let rest = readme[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)])
    }

    /// A check or metric name as the README writes it: the channel or transport a name begins
    /// with as `CHANNEL` or `TRANSPORT`, a message size as `SIZE`.
    static func documented(_ name: String) -> String {
        let served = { (role: String) in Set(ProbeCatalog.specs.first { $0.role == role }?.checks.map { String($0.text.split(separator: ".")[0]) } ?? []) }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return name }
        if served("ipc-server").contains(parts[0]) { return "CHANNEL." + parts[1] }
        if served("echo-server").contains(parts[0]) { return "TRANSPORT." + parts[1] }
        return name
    }

    @Test func theChecksAndMetricsTableNamesEveryRoleCheckAndMetric() throws {
        let rows = Self.section("Checks and metrics").split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(!rows.isEmpty)
        for spec in ProbeCatalog.specs {
            let row = try #require(rows.first { $0.split(separator: "|").first?.contains("`\(spec.role)`") == true }, "no row for \(spec.role)")
            for name in spec.checks.map(\.text) + (spec.metrics + spec.throughputs).map(\.text) {
                #expect(row.contains("`\(Self.documented(name))`"), "\(spec.role): \(name) is not in its row")
            }
        }
        let roles = Set(ProbeCatalog.specs.map(\.role))
        for row in rows {
            for role in row.split(separator: "|")[0].split(separator: "`").enumerated().filter({ $0.offset % 2 == 1 }).map({ String($0.element) }) {
                #expect(roles.contains(role), "the table names a role no probe has: \(role)")
            }
        }
    }

    /// Each role's paragraph (from its `**role**` to the next role's) names each parameter.
    @Test func everyRoleAndParameterIsDescribed() throws {
        let text = Self.section("Probe roles and their parameters")
        for spec in ProbeCatalog.specs {
            let start = try #require(text.range(of: "**\(spec.role)**"), "\(spec.role) is not described")
            let rest = text[start.upperBound...]
            let paragraph = rest[..<(rest.range(of: "\n\n**")?.lowerBound ?? rest.endIndex)]
            for parameter in spec.parameters {
                #expect(paragraph.contains("`\(parameter.name)`") || paragraph.contains("`\(parameter.name):"), "\(spec.role): parameter \(parameter.name) is not described")
            }
        }
    }
}
