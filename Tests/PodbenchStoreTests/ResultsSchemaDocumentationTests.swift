import Foundation
import GRDB
import PodbenchCore
import PodbenchProbeInterface
import PodbenchStore
import Testing

/// docs/results-schema.md as this test reads it: a section per table (`## \`table\``), a
/// Markdown table of its columns (`| \`column\` | TYPE | meaning |`), and for a column of fixed
/// values a list under "`column` holds one of:" (`- \`value\`: meaning`).
private struct DocumentedSchema {
    struct Column: Equatable {
        var type: String
        /// The values listed under "`column` holds one of:", nil when none are.
        var values: [String]?
    }

    /// Table name → column name → column.
    var tables: [String: [String: Column]] = [:]

    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/results-schema.md").standardized.path

    init(_ text: String) {
        var table: String?
        var listing: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("## ") {
                table = Self.quoted(line.dropFirst(3)).flatMap { $0.count == 1 && line == "## `\($0[0])`" ? $0[0] : nil }
                if let table { tables[table] = [:] }
                listing = nil
                continue
            }
            guard let table else { continue }
            if line.hasPrefix("| `") {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count >= 4, let name = Self.quoted(Substring(cells[1]))?.first else { continue }
                tables[table]?[name] = Column(type: cells[2], values: nil)
            } else if line.hasSuffix(" holds one of:"), let name = Self.quoted(Substring(line))?.first {
                listing = name
                tables[table]?[name, default: Column(type: "", values: nil)].values = []
            } else if let column = listing, line.hasPrefix("- "), let value = Self.quoted(line.dropFirst(2))?.first {
                tables[table]?[column]?.values?.append(value)
            } else if !line.isEmpty {
                listing = nil
            }
        }
    }

    /// The text between backticks, in order; nil when there is none.
    static func quoted(_ text: Substring) -> [String]? {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        let inside = stride(from: 1, to: parts.count - 1, by: 2).map { String(parts[$0]) }
        return inside.isEmpty ? nil : inside
    }
}

/// The values the store keeps in each column of fixed values: the raw values of the Swift
/// enumerations it stores there.
private enum StoredValues {
    /// `ScenarioResult.Status` is not `CaseIterable`: its cases are listed here, and `listed`
    /// stops compiling when one is added.
    static let scenarioStatuses: [ScenarioResult.Status] = [.pass, .fail, .error, .skipped]
    static func listed(_ status: ScenarioResult.Status) {
        switch status { case .pass, .fail, .error, .skipped: break }
    }

    /// `CheckResult.Outcome` is not `CaseIterable` either: the same.
    static let checkOutcomes: [CheckResult.Outcome] = [.pass, .fail, .skip, .inconclusive]
    static func listed(_ outcome: CheckResult.Outcome) {
        switch outcome { case .pass, .fail, .skip, .inconclusive: break }
    }

    /// Table → column → the values podbench writes there.
    static let byColumn: [String: [String: [String]]] = [
        "run": [
            "status": RunStatus.allCases.map(\.rawValue),
            "runtime": RuntimeKind.allCases.map(\.rawValue),
        ],
        "scenarioResult": ["status": scenarioStatuses.map(\.rawValue)],
        "checkResult": [
            "level": Level.allCases.map(\.rawValue),
            "outcome": checkOutcomes.map(\.rawValue),
        ],
        "metric": ["placement": Placement.allCases.map(\.rawValue)],
        "baseline": ["runtime": RuntimeKind.allCases.map(\.rawValue)],
    ]
}

@Suite struct ResultsSchemaDocumentationTests {
    /// The schema every migration makes: table → column → declared type.
    private static func realSchema() throws -> [String: [String: String]] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("podbench-schema-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ResultStore(path: directory.appendingPathComponent("podbench.sqlite").path)
        return try store.writer.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
            var schema: [String: [String: String]] = [:]
            for table in tables {
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))")
                schema[table] = Dictionary(uniqueKeysWithValues: columns.map { ($0["name"] as String, $0["type"] as String) })
            }
            return schema
        }
    }

    private static func documented() throws -> DocumentedSchema {
        DocumentedSchema(try String(contentsOfFile: DocumentedSchema.path, encoding: .utf8))
    }

    @Test func theSchemaPageDocumentsEveryTableOfTheDatabaseAndNoOther() throws {
        let real = try Self.realSchema()
        let documented = try Self.documented()
        #expect(!real.isEmpty)
        #expect(Set(documented.tables.keys) == Set(real.keys), "documented \(documented.tables.keys.sorted()), real \(real.keys.sorted())")
    }

    @Test func eachTablesDocumentedColumnsAreItsRealColumns() throws {
        let real = try Self.realSchema()
        let documented = try Self.documented()
        for (table, columns) in real {
            let said = documented.tables[table] ?? [:]
            let missing = Set(columns.keys).subtracting(said.keys).sorted()
            let extra = Set(said.keys).subtracting(columns.keys).sorted()
            #expect(missing.isEmpty && extra.isEmpty, "\(table): undocumented \(missing), not in the database \(extra)")
        }
    }

    @Test func eachDocumentedTypeIsTheColumnsDeclaredType() throws {
        let real = try Self.realSchema()
        let documented = try Self.documented()
        for (table, columns) in real {
            for (column, type) in columns {
                guard let said = documented.tables[table]?[column] else { continue }  // the test above says so
                #expect(said.type == type, "\(table).\(column): documented \(said.type), declared \(type)")
            }
        }
    }

    @Test func theColumnsOfFixedValuesListExactlyTheValuesTheStoreWrites() throws {
        let documented = try Self.documented()
        let listed = Set(documented.tables.flatMap { table, columns in columns.compactMap { $0.value.values == nil ? nil : "\(table).\($0.key)" } })
        let stored = Set(StoredValues.byColumn.flatMap { table, columns in columns.keys.map { "\(table).\($0)" } })
        #expect(listed == stored, "columns with values listed \(listed.sorted()), columns of fixed values \(stored.sorted())")
        for (table, columns) in StoredValues.byColumn {
            for (column, values) in columns {
                let said = documented.tables[table]?[column]?.values ?? []
                #expect(Set(said) == Set(values) && said.count == values.count, "\(table).\(column): documented \(said), stored \(values)")
            }
        }
    }

    @Test func theParserReadsTablesColumnsAndValuesAsWritten() {
        let page = DocumentedSchema("""
            # Title

            ## `t`

            | column | type | meaning |
            |---|---|---|
            | `a` | TEXT | one of the values, `x` or `y`. |
            | `b` | INTEGER | a number |

            `a` holds one of:

            - `x`: the first.
            - `y`: the second.

            Prose after the list, naming `c`.

            ## Indexes

            | `i` | TEXT | not a table's column |
            """)
        #expect(Array(page.tables.keys) == ["t"])
        #expect(page.tables["t"] == ["a": .init(type: "TEXT", values: ["x", "y"]), "b": .init(type: "INTEGER", values: nil)])
    }
}
