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
#endif

/// Runs pods on this machine with real Linux namespaces, as a container runtime does.
///
/// Each pod gets an infrastructure process (`podbench-probe pod-infra`) holding new network,
/// IPC, UTS and mount namespaces (lo up, a private /dev/shm, a tmpfs per `medium: Memory`
/// volume) for as long as podbench keeps its standard input open. Each container is a
/// `podbench-probe container` process that joins those namespaces, gets a mount namespace
/// and a root of its own with the pod's volumes bound at their mountPaths, and runs its role.
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
            return try await withPods(scenario.pods[...], directory, infrastructure, infraPIDs: [:]) { pids in
                try await runContainers(scenario, directory, containers, infraPIDs: pids)
            }.map { outcome in
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

    /// Starts each pod's infrastructure process in turn and runs `body` while all of them hold
    /// their namespaces; each is told to exit (its standard input closed) when `body` ends.
    private func withPods(
        _ pods: ArraySlice<PodSpec>, _ directory: PodDirectory, _ infrastructure: PodProcesses, infraPIDs: [String: Int32],
        _ body: @escaping @Sendable ([String: Int32]) async throws -> [ContainerOutcome]
    ) async throws -> [ContainerOutcome] {
        guard let pod = pods.first else { return try await body(infraPIDs) }
        var arguments = ["pod-infra", "--hostname", pod.name]
        if geteuid() != 0 { arguments.append("--userns") }
        if pod.shareProcessNamespace { arguments.append("--share-pid") }
        for volume in pod.volumes where volume.medium == .memory {
            arguments += ["--tmpfs", directory.volume(volume.name, of: pod.name)]
        }
        let execution = try await Subprocess.run(
            .path(FilePath(probePath)), arguments: Arguments(arguments), platformOptions: Self.detached,
            input: .inputWriter, output: .sequence, error: .string(limit: 64 * 1024)
        ) { execution -> [ContainerOutcome]? in
            let pid = execution.processIdentifier.value
            infrastructure.watch(pid)
            defer { _ = infrastructure.release(pid) }
            // "ready", and the pid of the pod's PID namespace init where it has one.
            var lines = execution.standardOutput.strings().makeAsyncIterator()
            guard let ready = try await lines.next()?.split(separator: " "), ready.first == "ready" else { return nil }
            var pids = infraPIDs
            pids[pod.name] = pid
            if ready.count == 2 { pids[pod.name + "/pid"] = Int32(ready[1]) }
            let outcomes = try await withPods(pods.dropFirst(), directory, infrastructure, infraPIDs: pids, body)
            try await execution.standardInputWriter.finish()
            return outcomes
        }
        guard let outcomes = execution.closureResult else {
            let reason = execution.standardError.split(separator: "\n").last.map(String.init) ?? "\(execution.terminationStatus)"
            throw RuntimeError("pod \(pod.name) could not be started", cause: reason)
        }
        return outcomes
    }

    /// Pod processes get a process group of their own, as a container engine's do, so that a
    /// Ctrl-C at the terminal reaches podbench, which then tears the pod down in order.
    private static var detached: PlatformOptions {
        var options = PlatformOptions()
        options.processGroupID = 0
        return options
    }

    private func runContainers(_ scenario: Scenario, _ directory: PodDirectory, _ containers: PodProcesses, infraPIDs: [String: Int32]) async throws -> [ContainerOutcome] {
        var launches: [PodProcesses.Launch] = []
        for pod in scenario.pods {
            for container in pod.containers {
                var arguments = ["container", "--pod", String(infraPIDs[pod.name]!), "--rootfs", directory.rootfs(container.name, of: pod.name)]
                if let holder = infraPIDs[pod.name + "/pid"] { arguments += ["--pid-from", String(holder)] }
                for mount in container.volumeMounts {
                    arguments += [mount.readOnly ? "--ro-bind" : "--bind", directory.volume(mount.name, of: pod.name), mount.mountPath]
                }
                arguments += ["--", "--deadline", "\(scenario.deadlineSeconds)s"] + container.probeArguments
                launches.append(.init(pod: pod.name, container: container, arguments: arguments))
            }
        }
        let outcomes = try await containers.runEach(launches, executable: probePath, killingAfter: .nanoseconds(Int64(scenario.timeout)) + killGrace)
        if let failed = outcomes.first(where: { $0.ending == .exited(125) }),
           let reason = failed.standardError.split(separator: "\n").last(where: { $0.contains("sandbox") }) {
            throw RuntimeError("container \(failed.qualifiedName) could not be set up", cause: String(reason))
        }
        return outcomes
    }
}
