import Foundation
import GRDB
import PodbenchReport
import PodbenchRuntime
import PodbenchTestSupport
import Subprocess
import Synchronization
import Testing
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The built `podbench`, beside the test bundle in the build directory.
let buildDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
let podbench = buildDirectory.appendingPathComponent("podbench").path
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

struct Invocation {
    var status: Int32
    var output: String
    var error: String
}

/// Runs the built podbench in `directory` and waits for it.
@discardableResult
func podbenchRun(_ arguments: [String], in directory: URL = repository, environment: [String: String] = [:], whileRunning: ((RunningCommand) async throws -> Void)? = nil) async throws -> Invocation {
    try await runCommand(podbench, arguments, in: directory, environment: environment, whileRunning: whileRunning)
}

extension String {
    /// The text with every run of white space one space: what a terminal line said, wrapped
    /// within 120 columns or not.
    var flattened: String {
        split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// A command `runCommand` started, for a test that signals it while it runs.
struct RunningCommand: Sendable {
    let processIdentifier: pid_t
}

/// Runs a command and waits for it, its output collected, without blocking a thread of the
/// concurrency pool (on two cores that would hold up every other test's timers). On
/// swift-subprocess: Foundation's Process.run crashes now and then on Linux (it copies 256
/// bytes of each /proc/self/fd entry, and reads past a buffer's end: swift-corelibs-foundation
/// PR 5472). A signal's death is its number as `status`, as Process reported it.
@discardableResult
func runCommand(_ executable: String, _ arguments: [String], in directory: URL = repository, environment: [String: String] = [:], whileRunning: ((RunningCommand) async throws -> Void)? = nil) async throws -> Invocation {
    let overrides = Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) })
    let result = try await Subprocess.run(
        .path(FilePath(executable)), arguments: Arguments(arguments), environment: Environment.inherit.updating(overrides),
        workingDirectory: FilePath(directory.path), input: .none, output: .string(limit: 256 << 20), error: .string(limit: 64 << 20)
    ) { execution in
        try await whileRunning?(RunningCommand(processIdentifier: execution.processIdentifier.value))
    }
    let status: Int32 = switch result.terminationStatus {
    case .exited(let code): code
    case .signaled(let signal): signal
    }
    return Invocation(status: status, output: result.standardOutput, error: result.standardError)
}

/// The fingerprint of the first run stored in the database at `db`, as JSON.
func storedFingerprint(_ db: String) throws -> [String: Any] {
    let json = try DatabaseQueue(path: db).readSync { db in try String.fetchOne(db, sql: "SELECT fingerprint FROM run ORDER BY id") } ?? ""
    return try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
}

/// This machine's kernel release, as `uname -r` prints it.
func kernelRelease() -> String {
    var names = utsname()
    uname(&names)
    return withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
}

final class Scratch: Sendable {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("podbench-e2e-\(UUID().uuidString.prefix(8))")

    init() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func file(_ name: String, _ text: String) throws -> String {
        let path = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }
}

extension Scratch {
    /// `scenarios/slow.yaml`: a pod `slow` whose writer takes 30 s, to interrupt.
    func slowVolumeScenario(named name: String) throws {
        _ = try file("scenarios/slow.yaml", """
            name: \(name)
            description: A writer that takes 30 s.
            pod:
              name: slow
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: r, probe: volume-reader, args: {path: /v/f, count: 300}, volumeMounts: [{name: v, mountPath: /v}]}
                - {name: w, probe: volume-writer, args: {path: /v/f, count: 300, interval: 100ms}, volumeMounts: [{name: v, mountPath: /v}]}
            expect: [{check: volume.lines-seen, level: MUST}]
            """)
    }

    /// `scenarios/hang.yaml`: a reader waiting 60 s for a writer that never comes.
    func hangingScenario(timeout: String) throws {
        _ = try file("scenarios/hang.yaml", """
            name: hanging
            description: A reader waiting for a writer that never comes.
            timeout: \(timeout)
            pod:
              name: lonely
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: reader, probe: volume-reader, args: {path: /v/never, wait: 60s}, volumeMounts: [{name: v, mountPath: /v}]}
            expect: [{check: volume.lines-seen, level: MUST}]
            """)
    }
}

/// The status of the database's first run.
func storedRunStatus(_ db: String) throws -> String? {
    try DatabaseQueue(path: db).read { db in try String.fetchOne(db, sql: "SELECT status FROM run WHERE id = 1") }
}

@Suite(.serialized) struct CommandLineTests {
    @Test func runAllPassesBothSeedScenariosAndFillsTheDatabase() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("Results/podbench.sqlite").path
        let run = try await podbenchRun(["run", "all", "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(run.output.contains("PASS  ipc-message-queue"))
        #expect(run.output.contains("PASS  shared-volume"))
        #expect(run.output.contains("sysv.round-trip"))
        #expect(run.output.contains(" passed, 0 failed, 0 errors"))
        // Every line fits 120 columns: the summary's metrics are the only columns, a reason
        // said once under them.
        let wide = run.output.split(separator: "\n").filter { $0.count > 120 }
        #expect(wide.isEmpty, "\(wide.joined(separator: "\n"))")

        let queue = try DatabaseQueue(path: db)
        try await queue.read { db in
            let run = try #require(try Row.fetchOne(db, sql: "SELECT * FROM run"))
            #expect(run["status"] == "passed")
            #expect(run["runtime"] == "local")
            #expect((run["finishedAt"] as String?) != nil)
            let scenarios = try String.fetchAll(db, sql: "SELECT scenario || ':' || status FROM scenarioResult ORDER BY scenario")
            #expect(scenarios.contains("ipc-message-queue:pass"))
            #expect(scenarios.contains("shared-volume:pass"))
            // Every scenario passes but those whose pods reach each other's addresses, which local
            // pods (a loopback each) do not have.
            #expect(scenarios.allSatisfy { $0.hasSuffix(":pass") || ($0.hasPrefix("pod-to-pod-") && $0.hasSuffix(":skipped")) }, "\(scenarios)")
            #expect(scenarios.contains("pod-to-pod-tcp:skipped"))
            // INFO checks inform (an open loop's rate is kept or not as the machine's load allows).
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM checkResult WHERE outcome = 'fail' AND level != 'INFO'") == 0)
            let seedChecks = "SELECT COUNT(*) FROM checkResult JOIN scenarioResult ON scenarioResult.id = scenarioResultId WHERE scenario IN ('ipc-message-queue', 'shared-volume')"
            // The probes' 11, and the five namespace identity checks of each scenario.
            #expect(try Int.fetchOne(db, sql: seedChecks) == 11 + 2 * 5)
            let metrics = try String.fetchAll(db, sql: "SELECT name FROM metric WHERE count > 0 AND p50 > 0 AND p99 >= p50 AND max >= p99 ORDER BY name")
            #expect(Set(["sysv.one-way", "sysv.round-trip", "volume.write-to-visible"]).isSubset(of: metrics))
        }
    }

    @Test func aFailedMustCheckExitsOne() async throws {
        let scratch = try Scratch()
        try splitPodsScenario(in: scratch)
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 1)
        #expect(run.output.contains("FAIL  split-pods"))
        #expect(run.output.contains("✗ MUST sysv.all-consumed (b/consumer): nothing consumed"))
    }

    @Test func aBadScenarioExitsTwoWithItsPositionAndWritesNothing() async throws {
        let scratch = try Scratch()
        let bad = try scratch.file("scenarios/bad.yaml", "name: bad\ndescription: x\npod:\n  name: p\n  containers:\n    - name: c\n      probe: sysv-consumer\n      volumeMounts: [{name: nope, mountPath: /x}]\nexpect: [{check: pod.completed, level: MUST}]\n")
        let db = scratch.url.appendingPathComponent("Results/podbench.sqlite").path
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", db])
        #expect(run.status == 2)
        #expect(run.error.contains("\(bad):8:29: error: volume 'nope' is not declared"), "\(run.error)")
        #expect(run.error.contains("nothing was run"))
        #expect(!FileManager.default.fileExists(atPath: db))

        let validate = try await podbenchRun(["validate", bad])
        #expect(validate.status == 2)
        #expect(validate.error.contains("\(bad):8:29: error:"))
    }

    /// A podbench killed with SIGKILL can clean up nothing: its containers run on to their
    /// deadline and its pod directory stays. `podbench cleanup` ends both.
    @Test func cleanupEndsWhatAPodbenchKilledWithSIGKILLLeft() async throws {
        let scratch = try Scratch()
        try scratch.slowVolumeScenario(named: "orphaned-volume")
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", db]) { process in
            // The pod runs: its two containers, and in their PID namespaces their probes.
            let ran = try await eventually(within: .seconds(20)) { pids(mentioning: "podbench-pod-orphaned-volume-").count >= 4 }
            #expect(ran, "the pod never ran")
            kill(process.processIdentifier, SIGKILL)
        }
        #expect(run.status == SIGKILL, "Process reports the killing signal")
        try await Task.sleep(for: .milliseconds(1500))
        #expect(!pids(mentioning: "podbench-pod-orphaned-volume-").isEmpty, "the containers outlive a podbench killed with SIGKILL")
        #expect(try storedRunStatus(db) == "running")
        let cleanup = try await podbenchRun(["cleanup", "--runtime", "local", "--db", db])
        #expect(cleanup.status == 0)
        #expect(cleanup.output.contains("orphaned container process"), "\(cleanup.output)")
        #expect(cleanup.output.contains("recorded run 1 as interrupted"), "\(cleanup.output)")
        #expect(try storedRunStatus(db) == "interrupted")
        // It ended when it was last seen alive, not when cleanup found it gone 1.5 s later.
        let duration = try DatabaseQueue(path: db).readSync { db in try Double.fetchOne(db, sql: "SELECT (julianday(finishedAt) - julianday(startedAt)) * 86400 FROM run WHERE id = 1") }
        #expect((duration ?? 99) < 1, "\(duration ?? -1)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasSuffix(".lock") }.isEmpty, "no lock file is left")
        try await Task.sleep(for: .milliseconds(200))
        #expect(pids(mentioning: "podbench-pod-orphaned-volume-").isEmpty)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("podbench-pod-orphaned-volume-") }
        #expect(leftovers.isEmpty)
    }

    @Test func timeoutOverridesEveryScenariosOwn() async throws {
        let scratch = try Scratch()
        try scratch.hangingScenario(timeout: "60s")
        let run = try await podbenchRun(["run", "all", "--timeout", "2s", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 3)
        #expect(run.output.contains("timed out after 2s: raise timeout or lower rounds"), "\(run.output)")
    }

    /// Ten million round trips do not fit in 2 s: the scenario says it timed out (exit 3), and
    /// no check blames the TCP channel.
    @Test func aScenarioLongerThanItsTimeoutSaysItTimedOut() async throws {
        let scratch = try Scratch()
        _ = try scratch.file("scenarios/long.yaml", """
            name: too-long
            description: More rounds than the timeout allows.
            timeout: 2s
            pod:
              name: long
              containers:
                - {name: server, probe: echo-server, args: {transport: tcp, port: 5201}}
                - {name: client, probe: echo-client, args: {transport: tcp, port: 5201, rounds: 10000000}}
            expect: [{check: tcp.round-trip, level: MUST}, {check: tcp.served, level: MUST}]
            """)
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", db])
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(run.output.contains("timed out after 2s: raise timeout or lower rounds"), "\(run.output)")
        let failed = try await DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM checkResult WHERE outcome = 'fail'") }
        #expect(failed == 0, "\(run.output)")
    }

    @Test func validateAcceptsTheRepositoryScenarios() async throws {
        let validate = try await podbenchRun(["validate"])
        #expect(validate.status == 0)
        #expect(validate.output.hasPrefix("ok: "))
        #expect(validate.output.contains("ipc-message-queue") && validate.output.contains("shared-volume"))
    }

    @Test(arguments: [["run"], ["run", "no-such-scenario"], ["run", "all", "--runtime", "nomad"], ["frobnicate"], ["run", "all", "--verbos"], ["run", "all", "--timeout", "soon"], ["run", "all", "--pod-security", "lax"]])
    func usageErrorsExitTwo(_ arguments: [String]) async throws {
        let run = try await podbenchRun(arguments)
        #expect(run.status == 2, "\(run.error)")
        #expect(!run.error.isEmpty)
    }

    /// An option of another runtime would be ignored; it is refused instead, naming the
    /// runtimes it is for.
    @Test(arguments: [
        (["run", "all", "--runtime-class", "gvisor"], "--runtime-class is for --runtime kubernetes, not local"),
        (["run", "all", "--runtime", "podman", "--node", "n1"], "--node is for --runtime kubernetes, not podman"),
        (["run", "all", "--runtime", "podman", "--keep"], "--keep is for --runtime kubernetes, not podman"),
        (["run", "all", "--runtime", "kubernetes", "--oci-runtime", "crun"], "--oci-runtime is for --runtime podman, not kubernetes"),
        (["run", "all", "--probe-image", "r/p:1"], "--probe-image is for --runtime cri, kubernetes or podman, not local"),
        (["run", "all", "--runtime-handler", "runsc"], "--runtime-handler is for --runtime cri, not local"),
        (["run", "all", "--runtime", "podman", "--capture"], "--capture is for --runtime local, not podman"),
        (["run", "all", "--runtime", "podman", "--oci-runtime", "runc\"\n[engine]"], "is not an OCI runtime name"),
        (["run", "all", "--runtime", "kubernetes", "--runtime-class", "Bad_Class"], "is not a RuntimeClass name"),
        (["run", "all", "--runtime", "podman", "--probe", "/bin/true"], "--probe is for --runtime host or local, not podman"),
        (["cleanup", "--namespace", "x"], "--namespace is for --runtime kubernetes, not all"),
        (["cleanup", "--runtime", "podman", "--cri-endpoint", "unix:///x"], "--cri-endpoint is for --runtime cri or all, not podman"),
    ])
    func optionsOfAnotherRuntimeAreRefused(_ arguments: [String], _ message: String) async throws {
        let run = try await podbenchRun(arguments)
        #expect(run.status == 2)
        #expect(run.error.contains(message), "\(run.error)")
    }

    /// Every flag a runtime says is its own (`RegisteredRuntime.flags`) is a flag of `run` or
    /// `cleanup`: a runtime's recipe in CONTRIBUTING.md adds its flags and declares them, and
    /// this test sees the declaration and the CLI agree.
    @Test func everyFlagARuntimeOwnsIsAFlagOfRunOrCleanup() async throws {
        let help = try await podbenchRun(["run", "--help"]).output + podbenchRun(["cleanup", "--help"]).output
        for runtime in RuntimeRegistry.all {
            for flag in runtime.flags {
                #expect(help.contains(flag + " ") || help.contains(flag + "\n"), "\(runtime.kind) declares \(flag), which neither run nor cleanup has")
            }
        }
    }

    /// Every report kind is a flag of `report` (a file, or standard output): a report kind's
    /// recipe in CONTRIBUTING.md is its format, its case in `ReportKind` and its flags. `run`
    /// writes the files of the kinds a run's end is read in (every kind but JSON, which
    /// `report --json` prints from the stored run).
    @Test func everyReportKindIsAFlagOfReportAndButJSONOfRun() async throws {
        let run = try await podbenchRun(["run", "--help"]).output
        let report = try await podbenchRun(["report", "--help"]).output
        for kind in ReportKind.allCases {
            #expect(report.contains(kind.flag + " ") || report.contains(kind.flag + "\n"), "report has no \(kind.flag)")
            #expect(run.contains(kind.flag + " <file>") == (kind != .json), "run and \(kind.flag)")
        }
    }

    /// An endpoint from the environment is checked like the flag's, not replaced by the default.
    @Test func aCRIEndpointThatIsNotASocketIsRefusedWhereverItComesFrom() async throws {
        let flag = try await podbenchRun(["run", "all", "--runtime", "cri", "--cri-endpoint", "tcp://10.0.0.1:10010"])
        #expect(flag.status == 2 && flag.error.contains("--cri-endpoint 'tcp://10.0.0.1:10010' is not a Unix socket"), "\(flag.error)")
        let variable = try await podbenchRun(["run", "all", "--runtime", "cri"], environment: ["PODBENCH_CRI_ENDPOINT": "localhost:10010"])
        #expect(variable.status == 2 && variable.error.contains("$PODBENCH_CRI_ENDPOINT 'localhost:10010' is not a Unix socket"), "\(variable.error)")
    }

    /// A report file that cannot be written is said before anything runs, not after the run.
    @Test(arguments: [("--html", "dir"), ("--markdown", "file-not-dir/summary.md"), ("--junit", "missing/junit.xml")])
    func aReportFileThatCannotBeWrittenIsRefusedBeforeTheRun(_ flag: String, _ path: String) async throws {
        let scratch = try Scratch()
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("dir"), withIntermediateDirectories: true)
        _ = try scratch.file("file-not-dir", "")
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "shared-volume", "--db", db, flag, path], in: scratch.url)
        #expect(run.status == 2, "\(run.output)\(run.error)")
        #expect(run.error.contains("\(flag) \(path) cannot be written") && run.error.contains("Nothing was run"), "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    /// A report that passes the check but cannot be written at the end (here: /proc, where
    /// no file can be made, even by root) is said; the run is stored, and a run that passed
    /// exits 3, since CI would miss the file.
    @Test func aReportThatCannotBeWrittenAfterTheRunIsAnInfrastructureError() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "shared-volume", "--db", db, "--junit", "/proc/podbench-junit.xml"])
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(run.error.contains("cannot write /proc/podbench-junit.xml: "))
        #expect(try storedRunStatus(db) == "passed")
    }

    @Test(arguments: [["run", "no-such-scenario"], ["run", "all", "no-such-scenario"]])
    func anUnknownScenarioNameListsTheKnownOnes(_ arguments: [String]) async throws {
        let run = try await podbenchRun(arguments)
        #expect(run.status == 2)
        #expect(run.error.contains("no scenario named 'no-such-scenario'; known: "))
        #expect(run.error.contains("ipc-message-queue") && run.error.contains("(or 'all')"))
    }

    /// Help text is wrapped at the terminal's width, never broken inside a sentence by the
    /// source: at 1000 columns no line stops mid-sentence with the next line going on with it.
    @Test(arguments: [[], ["run"], ["list"], ["validate"], ["report"], ["history"], ["compare"], ["baseline"], ["db", "prune"], ["db", "export"],
                      ["render"], ["image", "build"], ["image", "save"], ["cleanup"]])
    func helpTextHasNoLineBreaksInsideSentences(_ command: [String]) async throws {
        let help = try await podbenchRun(command + ["--help"], environment: ["COLUMNS": "1000"])
        #expect(help.status == 0, "\(help.error)")
        let lines = help.output.split(separator: "\n", omittingEmptySubsequences: false)
        for (line, next) in zip(lines, lines.dropFirst()) {
            let stopsMidSentence = line.last.map { $0.isLetter || $0.isNumber || $0 == "," } == true
            let goesOn = next.drop { $0 == " " }.first.map { $0.isLowercase || $0 == "(" } == true
            #expect(!(stopsMidSentence && goesOn), "\(command): '\(line)' then '\(next)'")
        }
    }

    @Test func aMistypedScenarioNameIsToldTheNearestOne() async throws {
        let run = try await podbenchRun(["run", "localhost-tpc"])
        #expect(run.status == 2)
        #expect(run.error.contains("no scenario named 'localhost-tpc' (did you mean 'localhost-tcp'?); known: "), "\(run.error)")
    }

    /// `--tag` and `--skip-tag` choose scenarios on `list` and `run`; a tag no scenario has is
    /// bad input (exit 2), with the tags there are.
    @Test func scenariosAreChosenByTag() async throws {
        let list = try await podbenchRun(["list", "--tag", "ipc", "--skip-tag", "isolation,open-loop"])
        #expect(list.status == 0, "\(list.error)")
        let listed = list.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(listed == ["ipc-message-queue", "ipc-posix-mq", "ipc-posix-shm", "ipc-sysv-msg", "ipc-sysv-shm"], "\(list.output)")
        let scratch = try Scratch()
        let run = try await podbenchRun(["run", "--tag", "uts", "--skip-tag", "isolation", "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(run.output.contains("PASS  shared-hostname") && !run.output.contains("pod-isolation-network"), "\(run.output)")
        let typo = try await podbenchRun(["list", "--tag", "icp"])
        #expect(typo.status == 2)
        #expect(typo.error.contains("no scenario tagged 'icp' (did you mean 'ipc'?); tags: "), "\(typo.error)")
    }

    @Test func controlCharactersInAScenarioCannotReachTheTerminal() async throws {
        let scratch = try Scratch()
        let file = try scratch.file("s/odd.yaml", "name: odd\ndescription: \"bell \\a and \\e]0;title\\a\"\npod:\n  name: p\n  containers: [{name: c, probe: sysv-producer}]\nexpect: [{check: pod.completed, level: MUST}]\n")
        let list = try await podbenchRun(["list", "--scenarios", (file as NSString).deletingLastPathComponent])
        #expect(list.status == 0)
        #expect(!list.output.contains("\u{07}") && !list.output.contains("\u{1B}"))
        #expect(list.output.contains("bell \u{FFFD} and \u{FFFD}]0;title\u{FFFD}"))
    }

    @Test(arguments: [["--help"], ["run", "--help"], ["list", "--help"], ["validate", "--help"], ["help", "run"]])
    func helpIsEverywhere(_ arguments: [String]) async throws {
        let run = try await podbenchRun(arguments)
        #expect(run.status == 0)
        #expect(run.output.contains("USAGE: podbench"))
    }

    @Test func listShowsTheScenarios() async throws {
        let run = try await podbenchRun(["list"])
        #expect(run.status == 0)
        #expect(run.output.contains("ipc-message-queue"))
        #expect(run.output.contains("shared-volume"))
    }

    @Test func aBrokenRuntimeExitsThree() async throws {
        let scratch = try Scratch()
        let run = try await podbenchRun(["run", "ipc-message-queue", "--probe", "/nonexistent/podbench-probe", "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 3)
        #expect(run.output.contains("ERROR  ipc-message-queue"))
    }

    /// SIGHUP (a closed terminal) and SIGQUIT end a run as SIGINT and SIGTERM do, with
    /// 128 + the signal (finding 4 of the second reliability round: SIGHUP left the run
    /// `running` and its pods; SIGQUIT printed a crash and went on).
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP, SIGQUIT])
    func aSignalStopsTheRunLeavesNothingAndRecordsItInterrupted(_ signal: Int32) async throws {
        let scratch = try Scratch()
        try scratch.slowVolumeScenario(named: "slow-volume")
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let clock = ContinuousClock()
        let signalled = Mutex(clock.now)
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", db]) { process in
            // Signal once the pod runs: its two containers mention the pod directory, and so do
            // their probes in their PID namespaces.
            let ran = try await eventually(within: .seconds(20)) { pids(mentioning: "podbench-pod-slow-volume-").count >= 4 }
            #expect(ran, "the pod never ran")
            try await Task.sleep(for: .milliseconds(300))
            signalled.withLock { $0 = clock.now }
            kill(process.processIdentifier, signal)
        }
        #expect(run.status == 128 + signal, "\(run.output)\(run.error)")
        #expect(!run.error.contains("crashed"), "\(run.error)")
        // The scenario takes 30 s from its pod's start when left alone: the run ends well before
        // (counted from the signal, not from a start-up a loaded machine makes slow).
        #expect(clock.now - signalled.withLock { $0 } < .seconds(20))
        #expect(run.output.contains("interrupted"))
        let queue = try DatabaseQueue(path: db)
        let status = try await queue.read { db in try String.fetchOne(db, sql: "SELECT status FROM run") }
        #expect(status == "interrupted")
        let leftovers = (try FileManager.default.contentsOfDirectory(atPath: "/tmp")).filter { $0.hasPrefix("podbench-pod-slow-volume-") }
        #expect(leftovers.isEmpty)
        #expect(pids(mentioning: "podbench-pod-slow-volume-").isEmpty)
    }

    /// Two Ctrl-C 10 ms apart: podbench stops at once, yet the pods, their directory and the
    /// run's lock file are gone and the run is recorded as interrupted (several times over:
    /// the second signal lands at a different moment of the tear-down each time).
    @Test func twoSignalsInARowLeaveNothingAndRecordTheRunInterrupted() async throws {
        let scratch = try Scratch()
        try scratch.slowVolumeScenario(named: "slow-volume")
        for attempt in 1...4 {
            let db = scratch.url.appendingPathComponent("r\(attempt).sqlite").path
            let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", db]) { process in
                let ran = try await eventually(within: .seconds(20)) { pids(mentioning: "podbench-pod-slow-volume-").count >= 2 }
                #expect(ran, "the pod never ran")
                try await Task.sleep(for: .milliseconds(100 * attempt))
                kill(process.processIdentifier, SIGINT)
                try await Task.sleep(for: .milliseconds(10))
                kill(process.processIdentifier, SIGINT)
            }
            #expect(run.status == 128 + SIGINT, "\(run.output)\(run.error)")
            #expect(try storedRunStatus(db) == "interrupted")
            let locks = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasSuffix(".lock") }
            #expect(locks.isEmpty)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.contains("podbench-pod-slow-volume-") }
            #expect(leftovers.isEmpty)
            #expect(pids(mentioning: "podbench-pod-slow-volume-").isEmpty)
        }
    }
}

@Suite struct OrdinaryUserTests {
    /// As an ordinary user (nobody), pods get a user namespace of their own.
    /// Root (to become nobody), setpriv, a build directory nobody can reach, and a kernel that
    /// allows unprivileged user namespaces.
    static var canRunAsNobody: Bool {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return false }
        let limit = String(decoding: readProc("/proc/sys/user/max_user_namespaces") ?? [], as: UTF8.self)
        let restricted = String(decoding: readProc("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") ?? [], as: UTF8.self)
        guard (Int(limit.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, restricted.hasPrefix("1") == false else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        probe.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/test", "-x", podbench]
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    @Test(.enabled(if: canRunAsNobody, "needs root, setpriv, unprivileged user namespaces and a build directory nobody can reach"))
    func anOrdinaryUserRunsEveryScenarioInUserNamespaces() async throws {
        let scratch = try Scratch()
        chown(scratch.url.path, 65534, 65534)
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await runCommand("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", podbench, "run", "all", "--db", db, "--scenarios", repository.appendingPathComponent("Scenarios").path])
        let text = run.output + run.error
        #expect(run.status == 0, "\(text)")
        #expect(text.contains(" passed, 0 failed, 0 errors"))
        // The kernel's CPU latency is root's to hold: the run says it goes on without, and its
        // fingerprint says how its CPUs idled.
        #expect(text.contains("idle CPUs wait as the system has them, not polling (/dev/cpu_dma_latency: Permission denied)"), "\(text)")
        let fingerprint = try DatabaseQueue(path: db).readSync { try String.fetchOne($0, sql: "SELECT fingerprint FROM run") }
        #expect(fingerprint?.contains(#""cpuIdle":"system""#) == true)
    }
}

@Suite struct OutputTests {
    @Test func verboseLogsEachContainersOutput() async throws {
        let scratch = try Scratch()
        let run = try await podbenchRun(["run", "ipc-message-queue", "--verbose", "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 0)
        #expect(run.error.contains("mc2/consumer exited(0)"))
        #expect(run.error.contains("Consumed: done"))
        #expect(run.error.contains("Produced: done"))
    }

    @Test func withoutATerminalThereIsNoColour() async throws {
        let scratch = try Scratch()
        let run = try await podbenchRun(["run", "ipc-message-queue", "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 0)
        #expect(!run.output.contains("\u{1B}["))
        // Without a terminal the live line is a plain line before the result.
        #expect(run.output.contains("[1/1] ipc-message-queue running…\nPASS  ipc-message-queue"))
    }

    @Test func scaleMeasuresLonger() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "ipc-message-queue", "--scale", "3", "--db", db])
        #expect(run.status == 0)
        let count = try await DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: "SELECT count FROM metric WHERE name = 'sysv.round-trip'") }
        #expect(count == 6000)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tcpdump"), "needs tcpdump to read the capture back"))
    func captureKeepsAPcapThatTcpdumpReads() async throws {
        let scratch = try Scratch()
        let run = try await podbenchRun(["run", "localhost-capture", "--capture", "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 0)
        let captures = scratch.url.appendingPathComponent("captures")
        let files = try FileManager.default.contentsOfDirectory(atPath: captures.path)
        let pcap = try #require(files.first { $0.hasPrefix("localhost-capture-capture-sync-") && $0.hasSuffix("-lo.pcap") })
        let tcpdump = try await runCommand("/usr/bin/tcpdump", ["-nn", "--time-stamp-precision=nano", "-r", captures.appendingPathComponent(pcap).path, "tcp port 5201"])
        let text = tcpdump.output
        #expect(tcpdump.status == 0)
        #expect(text.split(separator: "\n").count > 4000)
        #expect(text.contains("127.0.0.1.5201"))
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to become a user without CAP_NET_RAW"))
    func withoutCapNetRawTheCaptureIsSkippedWithTheReason() async throws {
        let scratch = try Scratch()
        chown(scratch.url.path, 65534, 65534)
        let probe = try await runCommand("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", buildDirectory.appendingPathComponent("podbench-probe").path,
                                                              "loopback-capture", "--ready", scratch.url.appendingPathComponent("ready").path, "--duration", "1s"])
        let text = probe.output
        #expect(probe.status == 0)
        #expect(text.contains(#""skipped":true"#))
        #expect(text.contains("capture not permitted (needs CAP_NET_RAW)"))
    }

    /// `--version` and `podbench version` name the build: the version, the commit this
    /// checkout's HEAD is (as git describes it), the compiler.
    @Test func versionNamesTheBuild() async throws {
        let head = try await runCommand("/usr/bin/git", ["-C", repository.path, "rev-parse", "--short=12", "HEAD"])
        for arguments in [["--version"], ["version"]] {
            let run = try await podbenchRun(arguments)
            #expect(run.status == 0, "\(arguments): \(run.error)")
            let line = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(line.hasPrefix("podbench 0.1.0 (commit \(head.output.trimmingCharacters(in: .whitespacesAndNewlines))"), "\(line)")
            #expect(line.hasSuffix(", Swift 6.3)") || line.contains(", Swift 6."), "\(line)")
        }
    }
}
