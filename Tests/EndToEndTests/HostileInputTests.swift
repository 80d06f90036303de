import Foundation
import GRDB
import Testing

/// Hostile or mistyped input and foreign databases: a positioned error and exit 2, nothing
/// written; a failure of podbench's environment exits 3, never 1.
@Suite struct HostileInputTests {
    /// A valid scenario with `extra` in its pod's one container and `top` at the top.
    static func scenario(top: String = "", pod: String = "", container: String = "") -> String {
        """
        name: hostile
        description: Input that must be refused.
        \(top)
        pod:
          name: p
          volumes: [{name: v, emptyDir: {}}]
          \(pod)
          containers:
            - name: c
              probe: hostname
              args: {name: p}
              \(container)
        expect: [{check: pod.completed, level: MUST}]
        """
    }

    @Test func anEmptyScenarioDirectoryIsBadInputNotAPass() async throws {
        let scratch = try Scratch()
        let empty = scratch.url.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "all", "--scenarios", empty.path, "--db", db])
        #expect(run.status == 2, "\(run.output)\(run.error)")
        #expect(run.error.contains("no scenario files (*.yaml) in this directory"))
        #expect(!FileManager.default.fileExists(atPath: db))
        let validate = try await podbenchRun(["validate", empty.path])
        #expect(validate.status == 2)
    }

    static let refused: [(name: String, text: String, message: String)] = [
        ("alias-key", scenario(top: "x: &a {k: 1}\ny: {*a: 1}"), "an alias used as a mapping key"),
        ("nul", scenario(container: "volumeMounts: [{name: v, mountPath: \"/data\\0x\"}]"), "holds a NUL byte"),
        ("system", scenario(container: "volumeMounts: [{name: v, mountPath: /etc/passwd}]"), "is in /etc, a system directory"),
        ("bin", scenario(container: "volumeMounts: [{name: v, mountPath: /bin/x}]"), "is in /bin, a system directory"),
        ("long", scenario(container: "volumeMounts: [{name: v, mountPath: /\(String(repeating: "a", count: 300))}]"), "has a component of 300 bytes"),
        ("mounts", scenario(pod: "", container: "volumeMounts: [" + (1...33).map { "{name: v, mountPath: /m\($0)}" }.joined(separator: ", ") + "]"), "33 volume mounts; a container may have at most 32"),
        ("timeout", scenario(top: "timeout: 48h"), "a timeout is from 1s to 24h"),
        ("duration", scenario(container: "").replacingOccurrences(of: "args: {name: p}", with: "args: {name: p, hold: 100000h}"), "is longer than 24h"),
        ("control", scenario().replacingOccurrences(of: "Input that", with: "Input\u{1} that"), ":2:19: error: control character U+0001 is not allowed here"),
        ("null", scenario().replacingOccurrences(of: "name: hostile", with: "name: null"), ":1:7: error: the scenario name is null"),
        ("tag", scenario().replacingOccurrences(of: "description: ", with: "description: !!binary "), ":2:14: error: YAML tags such as '!!binary' are not supported"),
        ("custom-tag", scenario(top: "timeout: !seconds 30"), "YAML tags such as '!seconds' are not supported"),
        ("hex", scenario(top: "timeout: 0x10s"), "timeout '0x10s' is not a duration"),
        ("zero", scenario(top: "timeout: 0s"), "timeout '0s' is out of range; a timeout is from 1s to 24h"),
        // One rule for every number (the second reliability round, finding 8): plain decimals.
        ("hex-percent", scenario(top: "regressionTolerance: 0x10%"), "regressionTolerance '0x10%' is not a percentage"),
        ("exponent-percent", scenario(top: "regressionTolerance: 1e2%"), "regressionTolerance '1e2%' is not a percentage"),
        ("signed-port", scenario().replacingOccurrences(of: "probe: hostname\n      args: {name: p}", with: "probe: echo-server\n      args: {transport: tcp, port: +5201}"), "'+5201' is not an integer"),
        ("signed-rate", scenario().replacingOccurrences(of: "probe: hostname\n      args: {name: p}", with: "probe: echo-client\n      args: {transport: tcp, rate: +5/s}"), "'+5/s' is not a rate"),
    ]

    @Test(arguments: refused.indices)
    func inputKubernetesOrARuntimeWouldRefuseIsRefusedAtLoad(_ index: Int) async throws {
        let (name, text, message) = Self.refused[index]
        let scratch = try Scratch()
        let file = try scratch.file("scenarios/\(name).yaml", text)
        let run = try await podbenchRun(["validate", file])
        #expect(run.status == 2, "\(name): \(run.output)\(run.error)")
        #expect(run.error.contains(message), "\(name): \(run.error)")
        #expect(run.error.contains("\(file):"), "positioned at the file")
    }

    @Test func aFileOverTheSizeLimitIsRefusedWithoutReadingIt() async throws {
        let scratch = try Scratch()
        let file = try scratch.file("big.yaml", Self.scenario() + "\n# " + String(repeating: "x", count: 1 << 20) + "\n")
        let run = try await podbenchRun(["validate", file])
        #expect(run.status == 2)
        #expect(run.error.contains("a scenario file may hold at most 1048576"))
        #expect(run.error.utf8.count < 1000, "the message does not repeat the file")
    }

    /// Finding 1: a long timeout times --scale no longer overflows.
    @Test func aScaledTimeoutOverTheLimitIsBadInput() async throws {
        let scratch = try Scratch()
        _ = try scratch.file("scenarios/long.yaml", Self.scenario(top: "timeout: 24h"))
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--scale", "2", "--db", db])
        #expect(run.status == 2, "\(run.output)\(run.error)")
        #expect(run.error.contains("× --scale 2, is over 24h"))
        #expect(!FileManager.default.fileExists(atPath: db))
        let tiny = try await podbenchRun(["run", "all", "--timeout", "1ns", "--db", db])
        #expect(tiny.status == 2)
        #expect(tiny.error.contains("is not a duration from 1s to 24h"))
    }

    /// Finding 5: another application's database is never written to, whatever the command.
    @Test func aForeignDatabaseIsRefusedAndLeftByteForByte() async throws {
        let scratch = try Scratch()
        let path = scratch.url.appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: path).inDatabase { db in
            try db.execute(sql: "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine')")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for arguments in [["history"], ["report"], ["compare"], ["db", "export"], ["baseline", "show"], ["run", "shared-hostname"]] {
            let run = try await podbenchRun(arguments + ["--db", path])
            #expect(run.status == 2, "\(arguments): \(run.output)\(run.error)")
            #expect(run.error.contains("is not podbench's results database (its tables: notes)"), "\(arguments): \(run.error)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func aNewerOrDamagedDatabaseIsRefusedAndAnUnknownValueIsNotGuessed() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let first = try await podbenchRun(["run", "shared-hostname", "--db", db])
        #expect(first.status == 0)

        let newer = scratch.url.appendingPathComponent("newer.sqlite").path
        try FileManager.default.copyItem(atPath: db, toPath: newer)
        try DatabaseQueue(path: newer).inDatabase { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99')") }
        let before = try Data(contentsOf: URL(fileURLWithPath: newer))
        for arguments in [["history"], ["run", "shared-hostname"]] {
            let run = try await podbenchRun(arguments + ["--db", newer])
            #expect(run.status == 2, "\(run.output)\(run.error)")
            #expect(run.error.contains("was written by a newer podbench (schema v99"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: newer)) == before)

        let garbage = try scratch.file("garbage.sqlite", "not a database at all, but long enough to be read as one ......................................................")
        let notADatabase = try await podbenchRun(["history", "--db", garbage])
        #expect(notADatabase.status == 2)
        #expect(notADatabase.error.contains("is not an SQLite database"))

        try DatabaseQueue(path: db).inDatabase { try $0.execute(sql: "UPDATE checkResult SET outcome = 'maybe' WHERE name = 'pod.completed'") }
        let report = try await podbenchRun(["report", "--db", db])
        #expect(report.status == 3, "a damaged database is the environment's failure, never 'a check failed': \(report.output)\(report.error)")
        #expect(report.error.contains("unknown outcome 'maybe' (check pod.completed)"))
    }

    /// Read commands open the database read-only: a database podbench may not write is read.
    @Test func aReadOnlyDatabaseCanBeRead() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let first = try await podbenchRun(["run", "shared-hostname", "--db", db])
        #expect(first.status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        let history = try await podbenchRun(["history", "--db", db])
        #expect(history.status == 0, "\(history.error)")
        #expect(history.output.contains("passed"))
        let report = try await podbenchRun(["report", "--db", db])
        #expect(report.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    /// A right-to-left override (and any invisible format character) reaches no output: the
    /// terminal, HTML, Markdown and JUnit show U+FFFD in its place.
    @Test func aRightToLeftOverrideReachesNoOutput() async throws {
        let scratch = try Scratch()
        let file = try scratch.file("scenarios/bidi.yaml", Self.scenario().replacingOccurrences(of: "Input that must be refused.", with: "evil \u{202E}txt.exe"))
        let list = try await podbenchRun(["list", "--scenarios", (file as NSString).deletingLastPathComponent])
        #expect(!list.output.contains("\u{202E}"), "\(list.output)")
        // A probe's message is stored as it came: every report escapes it.
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        #expect(try await podbenchRun(["run", "shared-hostname", "--db", db]).status == 0)
        try DatabaseQueue(path: db).inDatabase { try $0.execute(sql: "UPDATE checkResult SET outcome = 'fail', message = ? WHERE name = 'uts.hostname'", arguments: ["evil \u{202E}txt.exe\u{200B}"]) }
        let html = scratch.url.appendingPathComponent("r.html").path, junit = scratch.url.appendingPathComponent("r.xml").path
        let files = try await podbenchRun(["report", "--db", db, "--html", html, "--junit", junit])
        let markdown = try await podbenchRun(["report", "--db", db, "--markdown"])
        let terminal = try await podbenchRun(["report", "--db", db])
        #expect(files.status == 0 && markdown.status == 0 && terminal.status == 0, "\(files.error)\(markdown.error)\(terminal.error)")
        for output in [try String(contentsOfFile: html, encoding: .utf8), try String(contentsOfFile: junit, encoding: .utf8), markdown.output, terminal.output] {
            #expect(!output.contains("\u{202E}") && !output.contains("\u{200B}"))
            #expect(output.contains("evil \u{FFFD}txt.exe\u{FFFD}"), "\(output.prefix(3000))")
        }
    }

    /// A report path: only the file is made, never a directory; a directory that is missing is
    /// bad input (2), a file the system will not take is the environment's failure (3), both
    /// said plainly.
    @Test func aReportPathMakesOnlyTheFile() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        #expect(try await podbenchRun(["run", "shared-hostname", "--db", db]).status == 0)
        let missing = scratch.url.appendingPathComponent("no/such/dir/x.xml").path
        let refused = try await podbenchRun(["report", "--db", db, "--junit", missing])
        #expect(refused.status == 2, "\(refused.error)")
        #expect(refused.error.contains("--junit \(missing) cannot be written: \(scratch.url.appendingPathComponent("no/such/dir").path) does not exist; create it first"), "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent("no").path))
        let unwritable = try await podbenchRun(["report", "--db", db, "--html", "/proc/podbench-report.html"])
        #expect(unwritable.status == 3, "\(unwritable.error)")
        #expect(unwritable.error.contains("cannot write /proc/podbench-report.html: "), "\(unwritable.error)")
        #expect(!unwritable.error.contains("Error Domain") && !unwritable.error.contains("NSFilePath"), "\(unwritable.error)")
        let export = try await podbenchRun(["db", "export", "--db", db, "--output", missing])
        #expect(export.status == 2, "\(export.error)")
    }

    /// A duration the store cannot hold (infinite, from a damaged file) is an error, exit 3, in
    /// every format, never "a check failed".
    @Test func aNonFiniteDurationIsADamagedDatabase() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        #expect(try await podbenchRun(["run", "shared-hostname", "--db", db]).status == 0)
        try DatabaseQueue(path: db).inDatabase { try $0.execute(sql: "UPDATE scenarioResult SET duration = 9e999") }
        for format in [["--json"], ["--markdown"], []] {
            let report = try await podbenchRun(["report", "--db", db] + format)
            #expect(report.status == 3, "\(format): \(report.output)\(report.error)")
            #expect(report.error.contains("unknown duration 'inf'"), "\(report.error)")
        }
    }
}
