import Foundation
import GRDB
import Testing

/// The Kubernetes runtime end to end against a TEST DOUBLE of kubectl: no cluster is reachable
/// from this machine, so `Tests/Doubles/kubectl-on-podman` answers the kubectl calls podbench
/// makes (apply, get pods -o json, logs, delete by label, namespaces) by playing the manifests
/// on podman. What this verifies is podbench's side: the calls, the JSON it reads, exit codes,
/// infrastructure errors, clean-up. What pods do on a real cluster it cannot verify.
extension RealPodTests {
    @Suite struct KubernetesRuntimeTests {
        static let standIn = repository.appendingPathComponent("Tests/Doubles/kubectl-on-podman").path

        /// Runs podbench with the stand-in as kubectl and a state directory of its own.
        func run(_ arguments: [String], state: URL, whileRunning: ((RunningCommand) async throws -> Void)? = nil) async throws -> Invocation {
            try await podbenchRun(arguments + ["--runtime", "kubernetes"], environment: ["PODBENCH_KUBECTL": Self.standIn, "KUBECTL_STANDIN_STATE": state.path], whileRunning: whileRunning)
        }

        func expectNoPodsLeft(_ state: URL, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let manifests = ((try? FileManager.default.contentsOfDirectory(atPath: state.path)) ?? []).filter { $0.hasSuffix(".yaml") }
            #expect(manifests.isEmpty, "pods the stand-in still holds: \(manifests)", sourceLocation: sourceLocation)
            let pods = try await podman(["pod", "ls", "--filter", "label=app.kubernetes.io/managed-by=podbench", "--format", "{{.Name}}"])
            #expect(pods.output.isEmpty, "pods left: \(pods.output)", sourceLocation: sourceLocation)
            try expectNoRunDirectoriesLeft(sourceLocation: sourceLocation)
        }

        @Test func theSeedScenariosPassThroughKubectl() async throws {
            try await ProbeImageForTests.require()
            let scratch = try Scratch()
            let state = scratch.url.appendingPathComponent("kubectl")
            let db = scratch.url.appendingPathComponent("r.sqlite").path
            let run = try await run(["run", "shared-volume", "ipc-message-queue", "pod-isolation-ipc", "--create-namespace", "--namespace", "nightly", "--db", db], state: state)
            #expect(run.status == 0, "\(run.output)\(run.error)")
            #expect(run.output.contains("PASS  shared-volume") && run.output.contains("PASS  ipc-message-queue") && run.output.contains("PASS  pod-isolation-ipc"))
            #expect(run.output.contains("runtime kubernetes v1.32.0-standin-podman; kubelet v1.32.0-standin, podman://4."), "the server, kubelet and container runtime in the fingerprint")
            #expect(FileManager.default.fileExists(atPath: state.appendingPathComponent("namespace--nightly").path))
            // The fingerprint describes the node the pods can go to, not the tainted control plane.
            let fingerprint = try storedFingerprint(db)
            #expect((fingerprint["nodes"] as? String ?? "").hasPrefix("standin-node ("))
            #expect(fingerprint["kernel"] as? String == kernelRelease())
            #expect(fingerprint["cpuCount"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
            try expectPodLatencies(db, scenarios: 3)
            try await expectNoPodsLeft(state)
        }

        /// A client that reaches another pod's address: the server's pod is applied first, its
        /// `status.podIP` read, and the client's pod applied with that address.
        @Test func aPodThatReachesAnotherIsAppliedOnceThatPodHasAnAddress() async throws {
            try await ProbeImageForTests.require()
            let scratch = try Scratch()
            let state = scratch.url.appendingPathComponent("kubectl")
            let db = scratch.url.appendingPathComponent("r.sqlite").path
            let run = try await run(["run", "pod-to-pod-tcp", "--create-namespace", "--db", db], state: state)
            #expect(run.status == 0, "\(run.output)\(run.error)")
            #expect(run.output.contains("PASS  pod-to-pod-tcp"), "\(run.output)")
            let calls = try String(contentsOf: state.appendingPathComponent("calls.jsonl"), encoding: .utf8).split(separator: "\n")
            let applies = calls.indices.filter { calls[$0].contains("\"apply\"") }
            #expect(applies.count == 2, "\(calls)")
            #expect(applies.count == 2 && calls[applies[0]..<applies[1]].contains { $0.contains("\"get\", \"pods\"") }, "the address is read between the two: \(calls)")
            let reached = try DatabaseQueue(path: db).readSync { db in try String.fetchOne(db, sql: "SELECT message FROM checkResult WHERE name = 'tcp.reachable'") } ?? ""
            #expect(reached.contains("tcp-server (10."), "the client reached the server at its pod's address: \(reached)")
            try await expectNoPodsLeft(state)
        }

        /// Clusters often refuse cluster-scoped reads to CI accounts: the run goes on, and its
        /// fingerprint says the nodes are unknown rather than describe the machine podbench ran on.
        @Test func nodesThatCannotBeListedAreUnknownInTheFingerprint() async throws {
            try await ProbeImageForTests.require()
            let scratch = try Scratch()
            let state = scratch.url.appendingPathComponent("kubectl")
            let db = scratch.url.appendingPathComponent("r.sqlite").path
            let run = try await podbenchRun(["run", "ipc-message-queue", "--create-namespace", "--db", db, "--runtime", "kubernetes"],
                                            environment: ["PODBENCH_KUBECTL": Self.standIn, "KUBECTL_STANDIN_STATE": state.path, "KUBECTL_STANDIN_FORBID_NODES": "1"])
            #expect(run.status == 0, "\(run.output)\(run.error)")
            let fingerprint = try storedFingerprint(db)
            #expect(fingerprint["nodes"] as? String == "unknown (the nodes cannot be listed)")
            #expect(fingerprint["kernel"] as? String == "unknown" && fingerprint["cpuModel"] as? String == "unknown")
            #expect(fingerprint["runtimeVersion"] as? String == "v1.32.0-standin-podman")
            try await expectNoPodsLeft(state)
        }

        /// Isolation between pods on different machines holds whatever the runtime does: a
        /// scenario whose pods were not kept on one node is an error, not a pass.
        @Test func podsOfOneScenarioPlacedOnDifferentNodesAreAnInfrastructureError() async throws {
            try await ProbeImageForTests.require()
            let scratch = try Scratch()
            let state = scratch.url.appendingPathComponent("kubectl")
            let run = try await podbenchRun(["run", "pod-isolation-ipc", "--create-namespace", "--db", scratch.url.appendingPathComponent("r.sqlite").path, "--runtime", "kubernetes"],
                                            environment: ["PODBENCH_KUBECTL": Self.standIn, "KUBECTL_STANDIN_STATE": state.path, "KUBECTL_STANDIN_SPREAD": "1"])
            #expect(run.status == 3, "\(run.output)\(run.error)")
            #expect(run.output.contains("were placed on different nodes (standin-node, standin-node-2)"))
            try await expectNoPodsLeft(state)
        }

        @Test func aMissingNamespaceIsAnInfrastructureErrorUnlessCreated() async throws {
            let scratch = try Scratch()
            let run = try await run(["run", "ipc-message-queue", "--db", scratch.url.appendingPathComponent("r.sqlite").path], state: scratch.url.appendingPathComponent("kubectl"))
            #expect(run.status == 3)
            #expect(run.output.contains("the namespace podbench does not exist"))
            #expect(run.output.contains("--create-namespace"))
        }

        /// An account allowed pods but not namespaces runs in a namespace that exists; where it
        /// does not, the error is why it could not be created.
        @Test func anAccountThatMayNotReadNamespacesRunsWhereTheNamespaceExists() async throws {
            try await ProbeImageForTests.require()
            let scratch = try Scratch()
            let state = scratch.url.appendingPathComponent("kubectl")
            let environment = ["PODBENCH_KUBECTL": Self.standIn, "KUBECTL_STANDIN_STATE": state.path, "KUBECTL_STANDIN_FORBID_NAMESPACES": "1"]
            let arguments = ["run", "ipc-message-queue", "--runtime", "kubernetes", "--create-namespace", "--db", scratch.url.appendingPathComponent("r.sqlite").path]
            let missing = try await podbenchRun(arguments, environment: environment)
            #expect(missing.status == 3, "\(missing.output)")
            #expect(missing.output.flattened.contains("could not create the namespace podbench"), "\(missing.output)")
            // Wrapped within the terminal's width wherever the checkout's path puts the break.
            #expect(missing.output.flattened.contains("cannot create resource"), "\(missing.output)")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: state.appendingPathComponent("namespace--podbench").path, contents: nil)
            let existing = try await podbenchRun(arguments, environment: environment)
            #expect(existing.status == 0, "\(existing.output)")
            try await expectNoPodsLeft(state)
        }

        @Test func aPodWhoseImageCannotBePulledNeverStartsAndIsExitThree() async throws {
            let scratch = try Scratch()
            let state = scratch.url.appendingPathComponent("kubectl")
            let run = try await run(["run", "ipc-message-queue", "--create-namespace", "--probe-image", "registry.invalid/podbench-probe:0", "--db", scratch.url.appendingPathComponent("r.sqlite").path], state: state)
            #expect(run.status == 3, "\(run.output)")
            #expect(run.output.contains("never started"))
            #expect(run.output.contains("ErrImagePull"))
            try await expectNoPodsLeft(state)
        }

        @Test func keepLeavesThePodsAndSaysHowToRemoveThem() async throws {
            try await ProbeImageForTests.require()
            let scratch = try Scratch()
            let state = scratch.url.appendingPathComponent("kubectl")
            let run = try await run(["run", "ipc-message-queue", "--create-namespace", "--keep", "--db", scratch.url.appendingPathComponent("r.sqlite").path], state: state)
            #expect(run.status == 0)
            let line = try #require(run.output.split(separator: "\n").first { $0.contains("kubectl --namespace podbench delete pods -l podbench.io/run=") })
            let pods = try await podman(["pod", "ls", "--format", "{{.Name}}"])
            #expect(pods.output.contains("mc2"))
            // The command it gives removes them.
            let words = line.split(separator: "kubectl ").last.map { $0.split(separator: " ").map(String.init) } ?? []
            _ = try await runCommand(Self.standIn, words, environment: ["KUBECTL_STANDIN_STATE": state.path])
            try await expectNoPodsLeft(state)
        }

        /// A RuntimeClass matrix: a run each, side by side. The cluster has no gvisor
        /// RuntimeClass, so admission refuses those pods: that column is the infrastructure's
        /// error, with the API server's reason. Every kubectl call names the context given.
        @Test func aRuntimeClassMatrixStoresARunEachAndAMissingClassIsAnInfrastructureError() async throws {
            try await ProbeImageForTests.require()
            let scratch = try Scratch()
            let state = scratch.url.appendingPathComponent("kubectl")
            let db = scratch.url.appendingPathComponent("r.sqlite").path
            let run = try await run(["run", "ipc-message-queue", "--create-namespace", "--context", "nightly-cluster", "--runtime-class", "runc,gvisor", "--db", db], state: state)
            #expect(run.status == 3, "\(run.output)\(run.error)")
            #expect(run.output.contains("RuntimeClass \"gvisor\" not found"), "\(run.output)")
            let classes = try DatabaseQueue(path: db).readSync { db in try String.fetchAll(db, sql: "SELECT json_extract(fingerprint, '$.runtimeClass') FROM run ORDER BY id") }
            #expect(classes == ["runc", "gvisor"])
            let matrix = try await podbenchRun(["report", "--matrix", "--db", db])
            let row = matrix.output.split(separator: "\n").first { $0.hasPrefix("ipc-message-queue") }?.split(separator: " ").map(String.init)
            #expect(row == ["ipc-message-queue", "pass", "error"], "\(matrix.output)")
            let calls = try String(contentsOf: state.appendingPathComponent("calls.jsonl"), encoding: .utf8).split(separator: "\n")
            #expect(!calls.isEmpty && calls.allSatisfy { $0.hasPrefix("[\"--context\", \"nightly-cluster\", \"--namespace\", \"podbench\"") }, "\(calls)")
            try await expectNoPodsLeft(state)
        }

        /// What `--keep` (or a podbench killed with SIGKILL) leaves goes with `podbench cleanup
        /// --runtime kubernetes`.
        @Test func cleanupDeletesThePodsARunLeft() async throws {
            try await ProbeImageForTests.require()
            let scratch = try Scratch()
            let state = scratch.url.appendingPathComponent("kubectl")
            let run = try await run(["run", "ipc-message-queue", "--create-namespace", "--keep", "--db", scratch.url.appendingPathComponent("r.sqlite").path], state: state)
            #expect(run.status == 0)
            let environment = ["PODBENCH_KUBECTL": Self.standIn, "KUBECTL_STANDIN_STATE": state.path]
            let cleanup = try await podbenchRun(["cleanup", "--runtime", "kubernetes"], environment: environment)
            #expect(cleanup.status == 0, "\(cleanup.error)")
            #expect(cleanup.output.contains("removed kubernetes pod podbench/mc2-pb-"), "\(cleanup.output)")
            try await expectNoPodsLeft(state)
            let again = try await podbenchRun(["cleanup", "--runtime", "kubernetes"], environment: environment)
            #expect(again.output.contains("nothing to remove"), "\(again.output)")
        }

        @Test func ctrlCDeletesThePods() async throws {
            try await ProbeImageForTests.require()
            let scratch = try Scratch()
            let state = scratch.url.appendingPathComponent("kubectl")
            let db = scratch.url.appendingPathComponent("r.sqlite").path
            let run = try await run(["run", "shared-volume", "--create-namespace", "--db", db], state: state) { process in
                for _ in 0..<1000 {
                    if try await podman(["ps", "--filter", "name=mc1-", "--format", "{{.Names}}"]).output.contains("mc1-") { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                kill(process.processIdentifier, SIGINT)
            }
            #expect(run.status == 130, "\(run.output)\(run.error)")
            try await expectNoPodsLeft(state)
        }
    }
}
