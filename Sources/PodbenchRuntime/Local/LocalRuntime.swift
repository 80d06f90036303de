import CPodbench
import Foundation
import PodbenchCore
import PodbenchProbeInterface
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
import PodbenchSystem
#endif

/// Runs pods on this machine with real Linux namespaces, as a container runtime does.
///
/// Each pod gets an infrastructure process (`podbench-probe pod-infra`) holding new network,
/// IPC, UTS and mount namespaces (lo up, a private /dev/shm, a tmpfs per `medium: Memory`
/// volume) for as long as podbench keeps its standard input open. Each container is a
/// `podbench-probe container` process, started beside it, that joins those namespaces once
/// told the infrastructure's pid, gets a mount namespace and a root of its own with the pod's
/// volumes bound at their mountPaths, and runs its role.
/// As an ordinary user the pod also gets a user namespace. Nothing outlives the run: the
/// namespaces (and the IPC objects and tmpfs in them) end with their last process, and the
/// pod's directory is removed.
public struct LocalRuntime: PodRuntime {
    public let kind = RuntimeKind.local
    /// The `podbench-probe` executable.
    public let probePath: String
    /// Where pod directories are made; their mount points must not be under a directory
    /// that containers see, so only a /tmp-like directory will do.
    public let temporaryDirectory: String
    /// Extra time past the scenario's timeout before containers are killed: each probe stops
    /// itself at the timeout and says why, which is more useful than a kill.
    public var killGrace: Duration = .seconds(3)
    /// Where to keep the packet captures (`*.pcap`) that probes leave on the pods' volumes;
    /// nil drops them with the volumes.
    public var capturesDirectory: String?

    /// Its pods start in milliseconds: waiting scenarios may wait together.
    public var waitsTogether: Bool { true }
    /// Tens of milliseconds (BENCHMARKS.md, pod start).
    public var typicalStart: UInt64 { 50_000_000 }

    /// Local pods have a network namespace with only a loopback: no address another pod reaches.
    public func refusal(_ scenario: Scenario) -> String? {
        scenario.reachesPodAddresses ? "its pods reach each other at their addresses, and local pods have only their loopback: run it on podman, the CRI or Kubernetes" : nil
    }

    public init(probePath: String, temporaryDirectory: String = "/tmp") {
        self.probePath = probePath
        self.temporaryDirectory = temporaryDirectory
    }

    public func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome] {
        let directory = try PodDirectory.prepare(for: scenario, probe: probePath, base: temporaryDirectory)
        let containers = PodProcesses(), infrastructure = PodProcesses()
        let createdAt = realtimeNanoseconds()
        // A second Ctrl-C ends podbench at once: the pods go with it.
        let token = EmergencyCleanup.register {
            containers.killAll(waiting: .seconds(1))
            infrastructure.killAll(waiting: .seconds(1))
            directory.remove()
        }
        defer {
            if let capturesDirectory { directory.keep(suffix: ".pcap", in: capturesDirectory, prefix: scenario.name) }
            directory.remove()
            // Only now: a second Ctrl-C during the removal waits for it to finish.
            EmergencyCleanup.unregister(token)
        }
        do {
            return try await runPods(scenario, directory, infrastructure, containers).map { outcome in
                var timed = outcome
                timed.createdAt = createdAt
                return timed
            }
        } catch let error as RuntimeError {
            throw error
        } catch is CancellationError {
            throw RuntimeError("interrupted")
        } catch {
            throw RuntimeError("the local runtime failed", cause: "\(error)")
        }
    }

    /// What a task of `runPods` ended with.
    private enum Finished: Sendable {
        case containers([ContainerOutcome])
        /// A pod's infrastructure, with why it did not come up.
        case pod(failure: RuntimeError?)
    }

    /// Starts every pod's infrastructure process, then at once every container: a container's
    /// own start-up (loading the probe) overlaps its pod's, and it joins the pod's namespaces
    /// when told the infrastructure's pid on its standard input (`--pod -`). The pods are
    /// told to exit (their standard input closed) once every container has ended.
    private func runPods(_ scenario: Scenario, _ directory: PodDirectory, _ infrastructure: PodProcesses, _ containers: PodProcesses) async throws -> [ContainerOutcome] {
        let ready = Dictionary(uniqueKeysWithValues: scenario.pods.map { ($0.name, OneShot<String?>()) })
        // The infrastructure is what a pod start waits for: it is spawned first.
        let spawned = scenario.pods.map { _ in OneShot<Void>() }
        let ended = OneShot<Void>()
        return try await withThrowingTaskGroup(of: Finished.self) { group in
            for (pod, spawned) in zip(scenario.pods, spawned) {
                group.addTask {
                    let failure = try await runInfrastructure(pod, directory, infrastructure, spawned: spawned, ready: ready[pod.name]!, until: ended,
                                                              within: scenario.timeout)
                    // Its containers end by themselves, told nothing; the others go with them.
                    if failure != nil { containers.killAll() }
                    return .pod(failure: failure)
                }
            }
            group.addTask {
                defer { ended.set(()) }
                for pod in spawned { await pod.value }
                return .containers(try await runContainers(scenario, directory, containers, ready: ready))
            }
            var outcomes: [ContainerOutcome] = []
            var failures: [RuntimeError] = []
            for try await finished in group {
                switch finished {
                case .containers(let all): outcomes = all
                case .pod(let failure): if let failure { failures.append(failure) }
                }
            }
            if let failed = failures.first { throw failed }
            if let failed = outcomes.first(where: { $0.ending == .exited(125) }),
               let reason = failed.standardError.split(separator: "\n").last(where: { $0.contains("sandbox") }) {
                throw RuntimeError("container \(failed.qualifiedName) could not be set up", cause: String(reason))
            }
            return outcomes
        }
    }

    /// Runs a pod's infrastructure process: sets `spawned` once the process exists (or could
    /// not be made); once it holds the pod's namespaces, sets `ready` to the line its
    /// containers wait for (its pid, and the pid of the pod's PID namespace init where it has
    /// one); tells it to exit when `until` is set. Returns why it did not come up, if it did
    /// not. Nothing waits on it for ever: one not ready `within` the scenario's timeout is
    /// killed, and so is one that has not gone `killGrace` after it was told to (stopped).
    private func runInfrastructure(_ pod: PodSpec, _ directory: PodDirectory, _ infrastructure: PodProcesses, spawned: OneShot<Void>,
                                   ready: OneShot<String?>, until ended: OneShot<Void>, within timeout: UInt64) async throws -> RuntimeError? {
        defer {
            spawned.set(())
            ready.set(nil)
        }
        let watched = OneShot<Int32>(), stalled = OneShot<String>(), lingering = OneShot<Task<Void, any Error>>()
        defer {
            lingering.valueIfSet?.cancel()
            if let pid = watched.valueIfSet { _ = infrastructure.release(pid) }
        }
        var arguments = ["pod-infra", "--hostname", pod.name]
        if geteuid() != 0 { arguments.append("--userns") }
        if pod.shareProcessNamespace { arguments.append("--share-pid") }
        for volume in pod.volumes where volume.medium == .memory {
            arguments += ["--tmpfs", directory.volume(volume.name, of: pod.name)]
        }
        let execution = try await Subprocess.run(
            .path(FilePath(probePath)), arguments: Arguments(arguments), environment: directory.environment, platformOptions: Self.detached,
            input: .inputWriter, output: .sequence, error: .string(limit: 64 * 1024)
        ) { execution -> Bool in
            let pid = execution.processIdentifier.value
            spawned.set(())
            infrastructure.watch(pid)
            watched.set(pid)
            let notReady = Task {
                try await Task.sleep(for: .nanoseconds(Int64(timeout)) + killGrace)
                let stall = infrastructure.kill(pid)
                stalled.set("timed out after \(DurationText.exact(nanoseconds: timeout)): pod \(pod.name)'s infrastructure (pid \(pid)) did not come up" + (stall.map { ": it was \($0)" } ?? ""))
            }
            defer { notReady.cancel() }
            // "ready", and the pid of the pod's PID namespace init where it has one.
            var lines = execution.standardOutput.strings().makeAsyncIterator()
            guard let line = try await lines.next()?.split(separator: " "), line.first == "ready" else { return false }
            notReady.cancel()
            ready.set(([String(pid)] + line.dropFirst().map(String.init)).joined(separator: " "))
            await ended.value
            try await execution.standardInputWriter.finish()
            // It exits once told to; one that does not (stopped) goes after the grace.
            lingering.set(Task {
                try await Task.sleep(for: killGrace)
                infrastructure.kill(pid)
            })
            return true
        }
        if let stall = stalled.valueIfSet { return RuntimeError(stall) }
        guard !execution.closureResult else { return nil }
        return RuntimeError("pod \(pod.name) could not be started", cause: execution.standardError.split(separator: "\n").last.map(String.init) ?? "\(execution.terminationStatus)")
    }

    /// Pod processes get a process group of their own, as a container engine's do, so that a
    /// Ctrl-C at the terminal reaches podbench, which then tears the pod down in order.
    private static var detached: PlatformOptions {
        var options = PlatformOptions()
        options.processGroupID = 0
        return options
    }

    private func runContainers(_ scenario: Scenario, _ directory: PodDirectory, _ containers: PodProcesses, ready: [String: OneShot<String?>]) async throws -> [ContainerOutcome] {
        var launches: [PodProcesses.Launch] = []
        for pod in scenario.pods {
            for container in pod.containers {
                var arguments = ["container", "--pod", "-", "--rootfs", directory.rootfs(container.name, of: pod.name)]
                if pod.shareProcessNamespace { arguments.append("--share-pid") }
                for mount in container.volumeMounts {
                    arguments += [mount.readOnly ? "--ro-bind" : "--bind", directory.volume(mount.name, of: pod.name), mount.mountPath]
                }
                arguments += ["--", "--deadline", "\(scenario.deadlineSeconds)s"] + container.probeArguments
                launches.append(.init(pod: pod.name, container: container, arguments: arguments, input: ready[pod.name]))
            }
        }
        return try await containers.runEach(launches, executable: probePath, environment: directory.environment, killingAfter: .nanoseconds(Int64(scenario.timeout)) + killGrace)
    }
}
