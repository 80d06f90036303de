import Foundation
import GRDB
import PodbenchTestSupport
import Testing

/// A private containerd (scripts/private-containerd, in a directory of the tests' own):
/// runtime handlers runc, each broken-runc property, and runsc where gVisor and its adapter are
/// installed; the probe and pause images loaded by `podbench image build --into containerd`.
/// `.ci/run` starts it before the tests and stops it after them (`$PODBENCH_TEST_CRI_ENDPOINT`);
/// without it, the first CRI test starts it (and `scripts/private-containerd stop` with
/// `PODBENCH_CONTAINERD=/run/podbench-test-containerd` stops it).
enum TestContainerd {
    static let directory = "/run/podbench-test-containerd"
    static let environment = ["PODBENCH_CONTAINERD": directory, "PODBENCH_TEST_HANDLERS": "1", "PODBENCH_RUNSC_ADAPTER": GVisor.adapter ?? ""]

    static let started = Task { () throws -> String in
        try await ProbeImageForTests.require()
        var endpoint = ProcessInfo.processInfo.environment["PODBENCH_TEST_CRI_ENDPOINT"] ?? ""
        if endpoint.isEmpty {
            let (status, output) = try spawnAndWait(repository.appendingPathComponent("scripts/private-containerd").path, ["start"], environment: environment)
            guard status == 0 else { throw Failure(text: "scripts/private-containerd start: \(output)") }
            endpoint = output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let probe = repository.appendingPathComponent(".build/static/release/podbench-probe").path
        let load = try await podbenchRun(["image", "build", "--probe", probe, "--into", "containerd", "--cri-endpoint", endpoint])
        guard load.status == 0 else { throw Failure(text: "podbench image build --into containerd: \(load.output)\(load.error)") }
        return endpoint
    }

    /// Runs a command that leaves a daemon behind, waiting for the command alone (waitpid on its
    /// pid) with its output in a file: Foundation's Process never sees such a command end here
    /// (its waitUntilExit spins on a zombie).
    static func spawnAndWait(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("podbench-spawn-\(UUID().uuidString.prefix(8))").path
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + variables).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, variables)
        guard spawned == 0 else { throw Failure(text: "cannot run \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }

    struct Failure: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }

    /// The endpoint (`unix:///…`).
    static func endpoint() async throws -> String {
        try await started.value
    }

    /// Waits (up to 15 s) until containerd holds `count` containers (sandboxes' included).
    static func waitForContainers(_ count: Int) async throws {
        for _ in 0..<300 {
            if try await ctr(["containers", "ls", "--quiet"]).output.split(separator: "\n").count >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// containerd's own client, on the k8s.io namespace the CRI uses.
    static func ctr(_ arguments: [String]) async throws -> Invocation {
        let socket = String(try await endpoint().dropFirst("unix://".count))
        return try await runCommand("/usr/bin/ctr", ["--address", socket, "--namespace", "k8s.io"] + arguments)
    }
}

/// Nothing of podbench's is left at the endpoint (no sandbox, no container), in /tmp, or
/// mounted; nothing of the test doubles' outside the private containerd's directory.
func expectNothingLeftOnTheCRI(sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let containers = try await TestContainerd.ctr(["containers", "ls", "--quiet"])
    #expect(containers.output.isEmpty, "containers left: \(containers.output)", sourceLocation: sourceLocation)
    let directories = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("podbench-cri-") }
    #expect(directories.isEmpty, "directories left: \(directories)", sourceLocation: sourceLocation)
    let mounts = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8).split(separator: "\n").filter { $0.contains("/tmp/podbench-cri-") }
    #expect(mounts.isEmpty, "mounts left: \(mounts)", sourceLocation: sourceLocation)
    #expect(!FileManager.default.fileExists(atPath: "/run/podbench-broken-runc"), "the doubles keep their state beside their links, in the private containerd's directory", sourceLocation: sourceLocation)
}

/// Tests that make pods on the private containerd, one at a time: each proves that nothing is
/// left on it afterwards. They run beside RealPodTests (podman's), whose pods they never see;
/// the suites that time the machine run before both (scripts/test).
@Suite(.serialized) enum CRIPodTests {}

/// The CRI runtime on a real containerd 1.6, podbench playing the kubelet's part.
extension CRIPodTests {
@Suite struct CRIRuntimeTests {
    /// Under runc every scenario has the verdict Kubernetes semantics give (emptyDirs per
    /// pod, memory emptyDirs on tmpfs): all pass, the capture one skipped under "restricted".
    @Test func everyScenarioPassesUnderRunc() async throws {
        let endpoint = try await TestContainerd.endpoint()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "all", "--runtime", "cri", "--cri-endpoint", endpoint, "--runtime-handler", "runc", "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(run.output.contains("PASS  pod-isolation-volume"), "an emptyDir belongs to its pod")
        #expect(run.output.contains("PASS  volume-medium"), "medium Memory is a tmpfs")
        #expect(run.output.contains("SKIP  localhost-capture"))
        #expect(run.output.contains("PASS  pod-to-pod-tcp") && run.output.contains("PASS  pod-to-pod-udp"), "a pod reaches another at the address PodSandboxStatus gives")
        #expect(run.output.contains("runtime cri containerd 1.6"), "the fingerprint names containerd and its version")
        #expect(run.output.contains("runtime class runc"), "and the handler")
        let scenarios = try DatabaseQueue(path: db).readSync { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM scenarioResult WHERE status != 'skipped'") } ?? 0
        try expectPodLatencies(db, scenarios: scenarios)
        try await expectNothingLeftOnTheCRI()
    }

    /// A handler with one pod-sharing property broken on purpose fails that property's MUST
    /// checks and nothing unrelated, as under podman.
    @Test func aBrokenHandlerFailsItsOwnMustCheckAndNothingElse() async throws {
        let endpoint = try await TestContainerd.endpoint()
        let breakages = Breakage.all.filter { ["ipc", "net", "uts-renamed", "pid-private", "volume", "shm-shared", "net-host"].contains($0.property) }
        try await expectVerdictsOfEach(breakages) { breakage, _, db in
            try await podbenchRun(["run"] + breakage.scenarios + ["--runtime", "cri", "--cri-endpoint", endpoint, "--runtime-handler", "broken-runc-\(breakage.property)", "--db", db])
        }
        try await expectNothingLeftOnTheCRI()
    }

    /// Containers that only stay for others are released once those have ended, as on the
    /// local runtime and podman: an isolation scenario ends when its bounded wait ends.
    @Test func holdersAndIsolatedServersAreReleasedOnceTheirPeersHaveEnded() async throws {
        let endpoint = try await TestContainerd.endpoint()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "release", "--scenarios", try ReleaseCommandTests.scenarios(in: scratch), "--runtime", "cri", "--cri-endpoint", endpoint, "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        try await ReleaseCommandTests.expectReleased(db, in: scratch)
        try await expectNothingLeftOnTheCRI()
    }

    /// `--runtime-handler a,b` is a matrix: a run per handler, side by side.
    @Test func handlersAreAMatrixShownSideBySide() async throws {
        let endpoint = try await TestContainerd.endpoint()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "ipc-sysv-msg", "--runtime", "cri", "--cri-endpoint", endpoint, "--runtime-handler", "runc,broken-runc-ipc", "--db", db])
        #expect(run.status == 1, "\(run.output)\(run.error)")
        let matrix = try await podbenchRun(["report", "--matrix", "--db", db])
        #expect(matrix.status == 0, "\(matrix.output)\(matrix.error)")
        #expect(matrix.output.contains("runc") && matrix.output.contains("broken-runc-ipc"), "\(matrix.output)")
        // The default handler is named by its name: one column with runc named.
        let byDefault = try await podbenchRun(["run", "ipc-sysv-msg", "--runtime", "cri", "--cri-endpoint", endpoint, "--db", db])
        #expect(byDefault.status == 0, "\(byDefault.output)\(byDefault.error)")
        let handlers = try DatabaseQueue(path: db).readSync { try String.fetchAll($0, sql: "SELECT json_extract(fingerprint, '$.runtimeClass') FROM run ORDER BY id") }
        #expect(handlers == ["runc", "broken-runc-ipc", "runc"])
        let columns = try await podbenchRun(["report", "--matrix", "--db", db])
        #expect(columns.output.contains("cri · runc (run 3)") && !columns.output.contains("default"), "\(columns.output)")
        try await expectNothingLeftOnTheCRI()
    }

    /// A handler the runtime does not have, or an image it does not hold: the infrastructure's
    /// failure (exit 3) with the reason, never a verdict.
    @Test func anUnknownHandlerOrAMissingImageIsExitThree() async throws {
        let endpoint = try await TestContainerd.endpoint()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let handler = try await podbenchRun(["run", "ipc-sysv-msg", "--runtime", "cri", "--cri-endpoint", endpoint, "--runtime-handler", "no-such-handler", "--db", db])
        #expect(handler.status == 3, "\(handler.output)\(handler.error)")
        #expect(handler.error.contains("has no runtime handler no-such-handler"), "\(handler.error)")
        let image = try await podbenchRun(["run", "ipc-sysv-msg", "--runtime", "cri", "--cri-endpoint", endpoint, "--probe-image", "localhost/no-such-image:0", "--db", db])
        #expect(image.status == 3, "\(image.output)\(image.error)")
        #expect(image.error.contains("does not hold localhost/no-such-image:0"), "\(image.error)")
        let nobody = try await podbenchRun(["run", "ipc-sysv-msg", "--runtime", "cri", "--cri-endpoint", "unix://" + scratch.url.appendingPathComponent("none.sock").path, "--db", db])
        #expect(nobody.status == 3, "\(nobody.output)\(nobody.error)")
        try await expectNothingLeftOnTheCRI()
    }

    /// Ctrl-C while pods run: the sandboxes, their emptyDirs and tmpfs mounts are removed and
    /// the run is recorded as interrupted.
    @Test func aSignalRemovesTheSandboxes() async throws {
        let endpoint = try await TestContainerd.endpoint()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "volume-medium", "shared-volume", "--runtime", "cri", "--cri-endpoint", endpoint, "--scale", "20", "--db", db]) { process in
            try await TestContainerd.waitForContainers(3)
            kill(process.processIdentifier, SIGINT)
        }
        #expect(run.status == 130, "\(run.output)\(run.error)")
        let status = try DatabaseQueue(path: db).readSync { try String.fetchOne($0, sql: "SELECT status FROM run") }
        #expect(status == "interrupted")
        try await expectNothingLeftOnTheCRI()
    }

    /// A podbench killed with SIGKILL leaves its sandboxes; `podbench cleanup`
    /// removes them, their directory and its mounts.
    @Test func cleanupRemovesWhatAKilledRunLeft() async throws {
        let endpoint = try await TestContainerd.endpoint()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        _ = try await podbenchRun(["run", "volume-medium", "--runtime", "cri", "--cri-endpoint", endpoint, "--scale", "20", "--db", db]) { process in
            try await TestContainerd.waitForContainers(2)
            kill(process.processIdentifier, SIGKILL)
        }
        let left = try await TestContainerd.ctr(["containers", "ls", "--quiet"])
        #expect(!left.output.isEmpty, "the killed run left its sandbox")
        // --dry-run says what would go, the interrupted run too, and changes nothing.
        let look = try await podbenchRun(["cleanup", "--dry-run", "--cri-endpoint", endpoint, "--db", db])
        #expect(look.status == 0, "\(look.output)\(look.error)")
        #expect(look.output.contains("would remove CRI pod sandbox") && look.output.contains("would record run 1 as interrupted") && look.output.contains("nothing was changed"), "\(look.output)")
        #expect(try await TestContainerd.ctr(["containers", "ls", "--quiet"]).output == left.output)
        #expect(try DatabaseQueue(path: db).readSync { try String.fetchOne($0, sql: "SELECT status FROM run") } == "running")
        // The default (all) reaches the CRI where its endpoint is a socket.
        let cleanup = try await podbenchRun(["cleanup", "--cri-endpoint", endpoint, "--db", db])
        #expect(cleanup.status == 0, "\(cleanup.output)\(cleanup.error)")
        #expect(cleanup.output.contains("CRI pod sandbox"), "\(cleanup.output)")
        try await expectNothingLeftOnTheCRI()
    }
}
}
