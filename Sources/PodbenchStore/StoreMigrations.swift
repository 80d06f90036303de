import GRDB

/// The schema, one named migration per change. Shipped migrations are never edited, and use
/// no application types, so that an old database always upgrades the same way.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("startedAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
                t.column("runtime", .text).notNull()
                t.column("host", .text).notNull()
                t.column("kernel", .text).notNull()
                t.column("podbenchVersion", .text).notNull()
                t.column("status", .text).notNull()
            }
            try db.create(table: "scenarioResult") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("run", onDelete: .cascade).notNull()
                t.column("scenario", .text).notNull()
                t.column("status", .text).notNull()
                t.column("startedAt", .datetime).notNull()
                t.column("duration", .double).notNull()
                t.column("error", .text)
            }
            try db.create(table: "checkResult") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("scenarioResult", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("level", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("message", .text).notNull()
                t.column("source", .text)
            }
            try db.create(table: "metric") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("scenarioResult", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("unit", .text).notNull()
                t.column("source", .text)
                for column in ["count", "min", "p50", "p90", "p99", "p999", "max"] {
                    t.column(column, .integer).notNull()
                }
                t.column("mean", .double).notNull()
                t.column("histogram", .blob).notNull()
            }
            try db.create(index: "scenarioResult_scenario", on: "scenarioResult", columns: ["scenario"])
        }
        return migrator
    }
}
