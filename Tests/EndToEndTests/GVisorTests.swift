import Foundation
import GRDB
import PodbenchTestSupport
import Testing

/// gVisor (runsc 20221219, Debian's) through podbench-runsc, podbench's adapter, and what it
/// does differently from Kubernetes' pod semantics: docs/runtimes/gvisor.md's table, row by row.
enum GVisor {
    /// The adapter: this build's (the code under test), as `.ci/run` gives it to the private
    /// containerd too.
    static let adapter: String? = [
        ProcessInfo.processInfo.environment["PODBENCH_RUNSC_ADAPTER"] ?? "",
        repository.appendingPathComponent(".build/debug/podbench-runsc").path,
    ].first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }

    static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/runsc") && adapter != nil
    }

    /// The table's rows: per scenario, the checks that fail under gVisor without mount hints.
    /// POSIX shared memory's lost wake-ups strike the first exchange or a later one, and the
    /// client's side or the server's: which client check fails varies (below).
    static let deviations: [String: Set<String>] = [
        "ipc-posix-mq": ["posix-mq.reachable", "posix-mq.served"],
        "ipc-posix-shm": [],
        "volume-locks": ["volume.flock", "volume.fcntl-lock"],
        "volume-medium": ["volume.medium"],
        "volume-unix-socket": ["unix.reachable", "unixgram.reachable"],
        "volume-inotify": ["volume.inotify"],
    ]

    /// The MUST and SHOULD checks of a run that did not pass or skip, by scenario.
    static func failures(_ db: String) throws -> [String: Set<String>] {
        let rows = try DatabaseQueue(path: db).readSync { db in
            try Row.fetchAll(db, sql: "SELECT s.scenario, c.name, c.outcome FROM checkResult c JOIN scenarioResult s ON s.id = c.scenarioResultId WHERE c.outcome NOT IN ('pass', 'skip') AND c.level != 'INFO'")
        }
        return Dictionary(grouping: rows, by: { $0["scenario"] as String }).mapValues { Set($0.map { $0["name"] as String }) }
    }

    /// Every deviation fails as the table says, nothing else fails but what a failed channel
    /// takes with it (pod.completed, an INFO served check), nothing is inconclusive but the
    /// round trips of a channel never reached, and the namespace checks are not judged, naming gVisor's kernel. The one
    /// allowance: a container whose probe finished passing but whose status the runtime gave as
    /// another (the adapter's `runsc wait` under load); podbench fails the pod and says so.
    static func expectTheTable(_ db: String, more: [String: Set<String>] = [:], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let said = try DatabaseQueue(path: db).readSync { db in
            try Row.fetchAll(db, sql: "SELECT s.scenario, c.name, c.message FROM checkResult c JOIN scenarioResult s ON s.id = c.scenarioResultId WHERE c.outcome NOT IN ('pass', 'skip') AND c.level != 'INFO'")
        }
        let expected = deviations.merging(more) { $0.union($1) }
        let misreported = Set(said.filter { expected[$0["scenario"]] == nil && ($0["message"] as String).contains("the runtime reported a status the probe did not exit with") }.map { $0["scenario"] as String })
        let failed = try failures(db).filter { !misreported.contains($0.key) || $0.value != ["pod.completed"] }
        let unexpected = said.filter { expected[$0["scenario"]] == nil && failed[$0["scenario"]] != nil }.map { "\($0["scenario"] as String) \($0["name"] as String): \($0["message"] as String)" }
        #expect(Set(failed.keys) == Set(expected.keys), "\(failed)\n\(unexpected.joined(separator: "\n"))", sourceLocation: sourceLocation)
        for (scenario, checks) in expected {
            #expect(checks.isSubset(of: failed[scenario] ?? []), "\(scenario): \(failed[scenario] ?? [])", sourceLocation: sourceLocation)
        }
        #expect(!(failed["ipc-posix-shm"] ?? []).isDisjoint(with: ["posix-shm.reachable", "posix-shm.round-trip"]), "\(failed)", sourceLocation: sourceLocation)
        let (inconclusive, namespaces) = try DatabaseQueue(path: db).readSync { db in
            (try String.fetchAll(db, sql: "SELECT name || ': ' || message FROM checkResult WHERE outcome = 'inconclusive'"),
             try Row.fetchAll(db, sql: "SELECT outcome, message FROM checkResult WHERE name LIKE 'namespace.%'"))
        }
        // Only the round trips of a channel that failed to be reached, which it takes with it.
        let beyondTheTable = inconclusive.filter { !$0.hasSuffix("not judged: no server was reached") && !$0.hasSuffix("channel to exchange through") }
        #expect(beyondTheTable.isEmpty, "\(inconclusive)", sourceLocation: sourceLocation)
        #expect(!namespaces.isEmpty && namespaces.allSatisfy { $0["outcome"] == "skip" && ($0["message"] as String).contains("on kernel 4.4.0") },
                "\(namespaces.prefix(3))", sourceLocation: sourceLocation)
    }

    /// The messages say what is not shared, or which call failed and why.
    static func expectMessages(_ db: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let messages = try DatabaseQueue(path: db).readSync { db in
            try String.fetchAll(db, sql: "SELECT name || ': ' || message FROM checkResult WHERE outcome = 'fail'")
        }.joined(separator: "\n")
        for words in ["mq_timedsend failed: Function not implemented (ENOSYS)", "did not wake this container's sem_wait",
                      "took the flock lock on /b/flock.lock that the other container holds", "(9p, as gVisor's gofer shows a host directory), not tmpfs",
                      "no unix server answered at /b/stream.sock within 10.0s (last connect: No such file or directory (ENOENT))",
                      "inotify does not fire across containers"] {
            #expect(messages.contains(words), "\(words)", sourceLocation: sourceLocation)
        }
    }
}

extension CRIPodTests {
@Suite(.enabled(if: GVisor.isInstalled, "needs runsc and podbench-runsc"))
struct GVisorCRITests {
    /// Every scenario under gVisor as a CRI runtime handler (the private containerd's runsc).
    @Test func everyScenarioUnderGVisorOnTheCRIGivesTheTablesVerdicts() async throws {
        let endpoint = try await TestContainerd.endpoint()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "all", "--runtime", "cri", "--cri-endpoint", endpoint, "--runtime-handler", "runsc", "--db", db])
        #expect(run.status == 1, "\(run.output)\(run.error)")
        #expect(run.output.contains("runtime class runsc"))
        try GVisor.expectTheTable(db)
        try GVisor.expectMessages(db)
        try await expectNothingLeftOnTheCRI()
    }

    /// With mount hints (share: pod, type: tmpfs) the volume rows pass: the sandbox holds one
    /// volume for the pod's containers, in its own memory.
    @Test func mountHintsMakeTheVolumeRowsPassOnTheCRI() async throws {
        let endpoint = try await TestContainerd.endpoint()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let hinted = repository.appendingPathComponent("Examples/gvisor-mount-hints").path
        let run = try await podbenchRun(["run", "all", "--scenarios", hinted, "--runtime", "cri", "--cri-endpoint", endpoint, "--runtime-handler", "runsc", "--db", db])
        let failed = try GVisor.failures(db)
        #expect(failed.isEmpty || failed.keys.allSatisfy { $0 == "volume-unix-socket-hinted" }, "\(failed)\n\(run.output)")
        #expect(failed["volume-unix-socket-hinted"].map { $0.isSubset(of: ["unixgram.round-trip", "pod.completed"]) } ?? true, "only datagrams may be lost: \(failed)")
        for scenario in ["volume-locks-hinted", "volume-medium-hinted", "volume-inotify-hinted"] {
            #expect(run.output.contains("PASS  \(scenario)"), "\(run.output)")
        }
        try await expectNothingLeftOnTheCRI()
    }
}
}

extension RealPodTests {
@Suite(.enabled(if: GVisor.isInstalled, "needs runsc and podbench-runsc"))
struct GVisorPodmanTests {
    /// The same under podman, gVisor as its OCI runtime by path: the table, and podman's own
    /// emptyDir shared by name across pods.
    @Test func everyScenarioUnderGVisorOnPodmanGivesTheTablesVerdicts() async throws {
        try await ProbeImageForTests.require()
        let adapter = try #require(GVisor.adapter)
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "all", "--runtime", "podman", "--oci-runtime", adapter, "--db", db])
        #expect(run.status == 1, "\(run.output)\(run.error)")
        try GVisor.expectTheTable(db, more: ["pod-isolation-volume": ["volume.isolated"]])
        try GVisor.expectMessages(db)
        try await expectNothingLeftOnPodman()
    }
}
}
