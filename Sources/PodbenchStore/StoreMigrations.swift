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
        migrator.registerMigration("v2") { db in
            // The environment fingerprint (JSON) and how many times each scenario ran.
            try db.alter(table: "run") { t in
                t.add(column: "fingerprint", .text).notNull().defaults(to: "{}")
                t.add(column: "repetitions", .integer).notNull().defaults(to: 1)
            }
            try db.create(index: "run_runtime_host", on: "run", columns: ["runtime", "host", "id"])
            try db.create(index: "run_startedAt", on: "run", columns: ["startedAt"])
            // Which repetition of the scenario a row is, and the scenario's regression tolerance.
            try db.alter(table: "scenarioResult") { t in
                t.add(column: "repetition", .integer).notNull().defaults(to: 1)
                t.add(column: "tolerance", .double)
            }
            // One baseline run per runtime and host, for `compare` and the regression gate.
            try db.create(table: "baseline") { t in
                t.column("runtime", .text).notNull()
                t.column("host", .text).notNull()
                t.belongsTo("run", onDelete: .cascade).notNull()
                t.column("setAt", .datetime).notNull()
                t.primaryKey(["runtime", "host"])
            }
        }
        migrator.registerMigration("v3") { db in
            // Why a metric's samples are not valid (clocks that are not one), kept instead of numbers.
            try db.alter(table: "metric") { t in
                t.add(column: "invalid", .text)
            }
        }
        migrator.registerMigration("v4") { db in
            // Where the ends of a measurement between containers ran: the placement (part of
            // the metric's identity) and each end's CPUs (JSON).
            try db.alter(table: "metric") { t in
                t.add(column: "placement", .text)
                t.add(column: "cpus", .text)
            }
        }
        migrator.registerMigration("v5") { db in
            // The scenario's tags (a JSON array), for reports that filter by them (JUnit names).
            try db.alter(table: "scenarioResult") { t in
                t.add(column: "tags", .text)
            }
        }
        migrator.registerMigration("v6") { db in
            // The lock file a run holds while it goes (its absolute path), so that any path to
            // the database finds it; when the run was last seen alive, which is when a run whose
            // podbench is gone ended; and the status podbench exited with for it.
            try db.alter(table: "run") { t in
                t.add(column: "lock", .text)
                t.add(column: "lastSeenAt", .datetime)
                t.add(column: "exitStatus", .integer)
            }
            // How long a check took to judge (seconds), for the JUnit test case's time.
            try db.alter(table: "checkResult") { t in
                t.add(column: "duration", .double)
            }
        }
        migrator.registerMigration("v7") { db in
            // A latency's host twin (`--calibrate`): the same measurement as plain processes
            // right before and right after the pod's, each histogram encoded as `histogram` is,
            // and the p50 and p99 of both together, for the gate's history without histograms.
            try db.alter(table: "metric") { t in
                t.add(column: "floorBefore", .blob)
                t.add(column: "floorAfter", .blob)
                t.add(column: "floorP50", .integer)
                t.add(column: "floorP99", .integer)
            }
        }
        return migrator
    }
}
