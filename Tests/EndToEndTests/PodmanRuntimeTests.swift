import Foundation
import GRDB
import PodbenchTestSupport
import Testing

/// The probe image, built once for every podman test with `podbench image build` (a static
/// probe alone in an image, loaded into podman).
enum ProbeImageForTests {
    static let built = Task { try await podbenchRun(["image", "build", "--source", repository.path]) }

    static func require() async throws {
        let build = try await built.value
        try #require(build.status == 0, "podbench image build: \(build.output)\(build.error)")
    }
}

/// podman with the configuration podbench gives it, to look at what runs left.
func podman(_ arguments: [String]) async throws -> Invocation {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("podbench-e2e-podman.conf").path
    try "[containers]\ndefault_ulimits = []\n[engine]\nruntime = \"runc\"\n".write(toFile: scratch, atomically: true, encoding: .utf8)
    return try await runCommand("/usr/bin/env", ["CONTAINERS_CONF=\(scratch)", "podman"] + arguments)
}

/// Nothing of podbench's is left on podman or in /tmp.
func expectNothingLeftOnPodman(sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let pods = try await podman(["pod", "ls", "--filter", "label=app.kubernetes.io/managed-by=podbench", "--format", "{{.Name}}"])
    #expect(pods.output.isEmpty, "pods left: \(pods.output)", sourceLocation: sourceLocation)
    let volumes = try await podman(["volume", "ls", "--filter", "label=app.kubernetes.io/managed-by=podbench", "--format", "{{.Name}}"])
    #expect(volumes.output.isEmpty, "volumes left: \(volumes.output)", sourceLocation: sourceLocation)
    try expectNoRunDirectoriesLeft(sourceLocation: sourceLocation)
}

/// No podman or Kubernetes run's directory is left in /tmp.
func expectNoRunDirectoriesLeft(sourceLocation: SourceLocation = #_sourceLocation) throws {
    let directories = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("podbench-podman-") || $0.hasPrefix("podbench-kubernetes-") }
    #expect(directories.isEmpty, "directories left: \(directories)", sourceLocation: sourceLocation)
}

/// Every scenario of the run has one `pod.start` and one `pod.complete` sample, the start first.
func expectPodLatencies(_ db: String, scenarios: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let rows = try DatabaseQueue(path: db).readSync { db in
        try Row.fetchAll(db, sql: "SELECT s.scenario, m.name, m.count, m.p50 FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId WHERE m.name IN ('pod.start', 'pod.complete')")
    }
    #expect(rows.count == 2 * scenarios, sourceLocation: sourceLocation)
    for scenario in Set(rows.map { $0["scenario"] as String }) {
        let start = rows.first { $0["scenario"] == scenario && $0["name"] == "pod.start" }.map { $0["p50"] as Int64 } ?? 0
        let complete = rows.first { $0["scenario"] == scenario && $0["name"] == "pod.complete" }.map { $0["p50"] as Int64 } ?? 0
        #expect(start > 0 && complete >= start, "\(scenario): start \(start) ns, complete \(complete) ns", sourceLocation: sourceLocation)
    }
}

/// Tests that make real pods on this machine's podman, one at a time: each one proves that
/// nothing is left on podman afterwards, which another test's pods would contradict.
@Suite(.serialized) enum RealPodTests {}

/// Real pods on podman 4.3 (Debian 12) with runc, from the rendered manifests.
extension RealPodTests {
@Suite struct PodmanRuntimeTests {
    @Test func theSeedScenariosPassAsRealPods() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "shared-volume", "ipc-message-queue", "--runtime", "podman", "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(run.output.contains("PASS  shared-volume"))
        #expect(run.output.contains("PASS  ipc-message-queue"))
        #expect(run.output.contains("runtime podman 4."), "the fingerprint names podman and its version")
        #expect(run.output.contains("runtime class runc"))
        #expect(run.output.contains("pod limits cpu 1, memory 256Mi"), "the containers' limits, not podbench's cgroup")
        try expectPodLatencies(db, scenarios: 2)
        try await expectNothingLeftOnPodman()
    }

    /// Isolation between pods holds for IPC and the network; podman 4.3 shares an emptyDir by
    /// name across pods, unlike Kubernetes: the isolation check reports that as the failure it is.
    /// The server's pod is played first; the client's, played next, reaches it at the address
    /// podman gave it on its kube network, and the manifests podbench wrote are gone with the run.
    @Test func aPodReachesAnotherAtItsAddress() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "pod-to-pod-tcp", "pod-to-pod-udp", "--runtime", "podman", "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(run.output.contains("PASS  pod-to-pod-tcp") && run.output.contains("PASS  pod-to-pod-udp"), "\(run.output)")
        let reached = try DatabaseQueue(path: db).readSync { db in try String.fetchAll(db, sql: "SELECT message FROM checkResult WHERE name LIKE '%.reachable' ORDER BY name") }
        #expect(reached.count == 2 && reached.allSatisfy { $0.contains("-server (10.") }, "\(reached)")
        try expectPodLatencies(db, scenarios: 2)
        try await expectNothingLeftOnPodman()
    }

    @Test func isolationHoldsExceptForEmptyDirWhichPodmanSharesByName() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "pod-isolation-ipc", "pod-isolation-network", "pod-isolation-volume", "--runtime", "podman", "--db", db])
        #expect(run.status == 1, "\(run.output)\(run.error)")
        #expect(run.output.contains("PASS  pod-isolation-ipc"))
        #expect(run.output.contains("PASS  pod-isolation-network"))
        #expect(run.output.contains("FAIL  pod-isolation-volume"))
        #expect(run.output.contains("appeared on this pod's volume"))
        try await expectNothingLeftOnPodman()
    }

    /// Another podman 4.3 deviation: `emptyDir: {medium: Memory}` is an ordinary volume, not tmpfs.
    @Test func podmanIgnoresTheMemoryMedium() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let run = try await podbenchRun(["run", "volume-medium", "--runtime", "podman", "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 1)
        #expect(run.output.flattened.contains("not tmpfs as medium Memory requires"))
        try await expectNothingLeftOnPodman()
    }

    @Test func aScenarioNeedingACapabilityIsSkippedUnderRestrictedAndPassesUnderPrivileged() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let restricted = try await podbenchRun(["run", "localhost-capture", "--runtime", "podman", "--db", db])
        #expect(restricted.status == 0)
        #expect(restricted.output.contains("SKIP  localhost-capture"))
        #expect(restricted.output.contains("needs NET_RAW"))
        let privileged = try await podbenchRun(["run", "localhost-capture", "--runtime", "podman", "--pod-security", "privileged", "--db", db])
        #expect(privileged.status == 0, "\(privileged.output)")
        #expect(privileged.output.contains("capture.request-to-reply"))
        try await expectNothingLeftOnPodman()
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalToPodbenchRemovesThePodsAndRecordsTheRunInterrupted(_ signal: Int32) async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        try scratch.slowVolumeScenario(named: "slow-volume")
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "all", "--runtime", "podman", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", db]) { process in
            try await waitForPodmanContainer("slow-")
            kill(process.processIdentifier, signal)
        }
        #expect(run.status == 128 + signal, "\(run.output)\(run.error)")
        let status = try DatabaseQueue(path: db).readSync { db in try String.fetchOne(db, sql: "SELECT status FROM run") }
        #expect(status == "interrupted")
        try await expectNothingLeftOnPodman()
    }

    /// A second Ctrl-C stops podbench at once, without waiting for podman: it says what may be
    /// left, and `podbench cleanup` removes it.
    @Test func aSecondCtrlCStopsAtOnceAndSaysHowToRemoveThePods() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        try scratch.slowVolumeScenario(named: "slow-volume")
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "all", "--runtime", "podman", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", db]) { process in
            try await waitForPodmanContainer("slow-")
            kill(process.processIdentifier, SIGINT)
            try await Task.sleep(for: .milliseconds(20))
            kill(process.processIdentifier, SIGINT)
        }
        #expect(run.status == 128 + SIGINT, "\(run.output)\(run.error)")
        #expect(run.error.contains("may still be on podman: 'podbench cleanup --runtime podman' removes them"), "\(run.error)")
        let cleanup = try await podbenchRun(["cleanup", "--runtime", "podman", "--db", db])
        #expect(cleanup.status == 0, "\(cleanup.error)")
        #expect(try storedRunStatus(db) == "interrupted")
        try await expectNothingLeftOnPodman()
    }

    /// A probe killed with SIGKILL is a container that died: its pod did not complete, the
    /// checks it owed fail, and the pods still go.
    @Test func aProbeKilledInItsContainerFailsThePodAndLeavesNothing() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "shared-volume", "--runtime", "podman", "--db", db]) { _ in
            for _ in 0..<1000 {
                let readers = pids(mentioning: "volume-reader").filter { commandLine(of: $0).hasPrefix("/podbench-probe") }
                if !readers.isEmpty {
                    for pid in readers { kill(pid, SIGKILL) }
                    return
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("mc1/1st exited 137"), "\(run.output)")
        let stored = try DatabaseQueue(path: db).readSync { db in try String.fetchOne(db, sql: "SELECT status FROM run") }
        #expect(stored == "failed")
        try await expectNothingLeftOnPodman()
    }

    /// As on the local runtime, the containers that only stay for others are released once
    /// every other container has ended (`podman kill --signal USR1`).
    @Test func holdersAndIsolatedServersAreReleasedOnceTheirPeersHaveEnded() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "release", "--runtime", "podman", "--scenarios", try ReleaseCommandTests.scenarios(in: scratch), "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        try await ReleaseCommandTests.expectReleased(db, in: scratch)
        try await expectNothingLeftOnPodman()
    }

    @Test func aProbeThatHangsPastTheTimeoutIsStoppedAndTheScenarioTimesOut() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        try scratch.hangingScenario(timeout: "2s")
        let run = try await podbenchRun(["run", "all", "--runtime", "podman", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 3)
        #expect(run.output.contains("timed out after 2s: raise timeout or lower rounds"), "\(run.output)")
        try await expectNothingLeftOnPodman()
    }

    /// A rebuild moves the tag and removes the image it was on: nothing dangles.
    @Test func aRebuildLeavesNoDanglingImage() async throws {
        try await ProbeImageForTests.require()
        let probe = repository.appendingPathComponent(".build/static/release/podbench-probe").path
        let before = try await podman(["image", "inspect", "--format", "{{.Id}}", "localhost/podbench-probe:0.1.0"])
        let rebuild = try await podbenchRun(["image", "build", "--probe", probe])
        #expect(rebuild.status == 0, "\(rebuild.output)\(rebuild.error)")
        let after = try await podman(["image", "inspect", "--format", "{{.Id}}", "localhost/podbench-probe:0.1.0"])
        #expect(after.output != before.output, "a new image has the tag")
        let dangling = try await podman(["images", "--quiet", "--filter", "dangling=true", "--filter", "label=io.podbench.image"])
        #expect(dangling.output.isEmpty, "dangling: \(dangling.output)")
        let old = try await podman(["image", "exists", before.output.trimmingCharacters(in: .whitespacesAndNewlines)])
        #expect(old.status != 0, "the image the tag was on is gone")
    }

    @Test func theImageIsSavedAsAnOCIArchive() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let archive = scratch.url.appendingPathComponent("podbench-probe.tar").path
        let save = try await podbenchRun(["image", "save", archive])
        #expect(save.status == 0, "\(save.error)")
        let listing = try await runCommand("/usr/bin/env", ["tar", "-tf", archive])
        #expect(listing.output.split(separator: "\n").contains("oci-layout"))
        #expect(listing.output.split(separator: "\n").contains("index.json"))
        // A save that fails leaves the archive there as it was, and says why.
        let before = try Data(contentsOf: URL(fileURLWithPath: archive))
        let failed = try await podbenchRun(["image", "save", archive, "--tag", "localhost/no-such-image:0"])
        #expect(failed.status == 3)
        #expect(failed.error.contains("podman save"), "\(failed.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: archive)) == before)
        #expect(!FileManager.default.fileExists(atPath: archive + ".partial"))
    }

    /// A matrix over OCI runtimes: a run each, side by side. The second one shares no IPC
    /// namespace (the broken double): its column shows the failure.
    @Test func anOCIRuntimeMatrixStoresARunEachAndShowsThemSideBySide() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let broken = scratch.url.appendingPathComponent("broken-runc-ipc").path
        try FileManager.default.createSymbolicLink(atPath: broken, withDestinationPath: repository.appendingPathComponent("Tests/Doubles/broken-runc").path)
        let run = try await podbenchRun(["run", "ipc-message-queue", "--runtime", "podman", "--oci-runtime", "runc,\(broken)", "--db", db, "--html", scratch.url.appendingPathComponent("m.html").path])
        #expect(run.status == 1, "a failed check in one column is the run's status")
        let classes = try DatabaseQueue(path: db).readSync { db in try String.fetchAll(db, sql: "SELECT json_extract(fingerprint, '$.runtimeClass') FROM run ORDER BY id") }
        #expect(classes == ["runc", broken])
        let matrix = try await podbenchRun(["report", "--matrix", "--db", db])
        #expect(matrix.status == 0)
        let row = matrix.output.split(separator: "\n").first { $0.hasPrefix("ipc-message-queue") }?.split(separator: " ").map(String.init)
        #expect(row?.prefix(3) == ["ipc-message-queue", "pass", "fail"], "\(matrix.output)")
        #expect(try String(contentsOf: scratch.url.appendingPathComponent("m.html"), encoding: .utf8).contains("id=\"runtimes\""))
        let single = try await podbenchRun(["report", "--matrix", "--db", db, "--run", "1"])
        #expect(single.status == 2)
        try await expectNothingLeftOnPodman()
    }

    /// A podbench killed with SIGKILL removes nothing: its pod, its labelled volume and its
    /// directory stay until `podbench cleanup`, which removes them all.
    @Test func cleanupRemovesWhatARunKilledWithSIGKILLLeft() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        try scratch.slowVolumeScenario(named: "slow-volume")
        let run = try await podbenchRun(["run", "all", "--runtime", "podman", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", scratch.url.appendingPathComponent("r.sqlite").path]) { process in
            try await waitForPodmanContainer("slow-")
            kill(process.processIdentifier, SIGKILL)
        }
        #expect(run.status == SIGKILL)
        let left = try await podman(["pod", "ls", "--filter", "label=app.kubernetes.io/managed-by=podbench", "--format", "{{.Name}}"])
        #expect(left.output.hasPrefix("slow-pb-"), "the killed run's pod is still there: \(left.output)")
        let cleanup = try await podbenchRun(["cleanup", "--runtime", "podman"])
        #expect(cleanup.status == 0, "\(cleanup.error)")
        #expect(cleanup.output.contains("removed podman pod slow-pb-"), "\(cleanup.output)")
        #expect(cleanup.output.contains("removed podman volume pb-"), "\(cleanup.output)")
        #expect(cleanup.output.contains("removed /tmp/podbench-podman-pb-"), "\(cleanup.output)")
        try await expectNothingLeftOnPodman()
    }

    /// `podbench cleanup` during a run leaves that run's pods and volumes alone: the run ends
    /// with its verdict, then removes them itself.
    @Test func cleanupLeavesARunThatIsGoingAlone() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "shared-volume", "--runtime", "podman", "--db", db]) { _ in
            try await waitForPodmanContainer("mc1-")
            let cleanup = try await podbenchRun(["cleanup", "--db", db])
            #expect(cleanup.status == 0)
            #expect(cleanup.output.contains("nothing to remove"), "\(cleanup.output)")
            #expect(try storedRunStatus(db) == "running")
        }
        #expect(run.status == 0, "\(run.output)")
        try await expectNothingLeftOnPodman()
    }
}
}

/// Waits until a container whose name starts with `prefix` runs on podman.
func waitForPodmanContainer(_ prefix: String) async throws {
    for _ in 0..<1000 {
        let names = try await podman(["ps", "--format", "{{.Names}}"]).output.split(separator: "\n")
        if names.contains(where: { $0.hasPrefix(prefix) }) { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("no container \(prefix)* started")
}

/// What podman lacks is said before anything runs, with what to do: exit 3, nothing stored.
@Suite struct PodmanPreflightTests {
    @Test func aMissingOCIRuntimeOrProbeImageIsExitThreeAtOnce() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let runtime = try await podbenchRun(["run", "ipc-sysv-msg", "--runtime", "podman", "--oci-runtime", "runc,no-such-runtime", "--db", db])
        #expect(runtime.status == 3, "\(runtime.output)\(runtime.error)")
        #expect(runtime.error.contains("podman has no OCI runtime no-such-runtime") && runtime.error.contains(#"default OCI runtime "no-such-runtime" not found"#), "\(runtime.error)")
        #expect(!runtime.output.contains("PASS"), "the runc pass did not run first: \(runtime.output)")
        let image = try await podbenchRun(["run", "ipc-sysv-msg", "--runtime", "podman", "--probe-image", "localhost/no-such-image:0", "--db", db])
        #expect(image.status == 3, "\(image.output)\(image.error)")
        #expect(image.error.contains("the probe image localhost/no-such-image:0 is not in podman") && image.error.contains("podbench image build"), "\(image.error)")
        let runs = try DatabaseQueue(path: db).readSync { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM run") }
        #expect(runs == 0)
    }
}
