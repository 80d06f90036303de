import Foundation
import PodbenchCore
import Subprocess

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
    public let name = "local"
    /// The `podbench-probe` executable.
    public let probePath: String
    /// Where pod directories are made; their mount points must not be under a directory
    /// that containers see, so only a /tmp-like directory will do.
    public let temporaryDirectory: String
    /// Extra time past the scenario's timeout before containers are killed: each probe stops
    /// itself at the timeout and says why, which is more useful than a kill.
    public var killGrace: Duration = .seconds(3)

    public init(probePath: String, temporaryDirectory: String = "/tmp") {
        self.probePath = probePath
        self.temporaryDirectory = temporaryDirectory
    }

    public func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome] {
        guard FileManager.default.isExecutableFile(atPath: probePath) else {
            throw RuntimeError("the probe executable \(probePath) is missing or not executable", cause: "build it with 'swift build', or point --probe at it")
        }
        let directory: PodDirectory
        do {
            directory = try PodDirectory(base: temporaryDirectory, scenario: scenario)
        } catch {
            throw RuntimeError("cannot prepare the pod directories under \(temporaryDirectory)", cause: "\(error)")
        }
        defer { directory.remove() }
        do {
            return try await withPods(scenario.pods[...], directory, infraPIDs: [:]) { pids in
                try await runContainers(scenario, directory, infraPIDs: pids)
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
        _ pods: ArraySlice<PodSpec>, _ directory: PodDirectory, infraPIDs: [String: Int32],
        _ body: @escaping @Sendable ([String: Int32]) async throws -> [ContainerOutcome]
    ) async throws -> [ContainerOutcome] {
        guard let pod = pods.first else { return try await body(infraPIDs) }
        var arguments = ["pod-infra", "--hostname", pod.name]
        if geteuid() != 0 { arguments.append("--userns") }
        for volume in pod.volumes where volume.medium == .memory {
            arguments += ["--tmpfs", directory.volume(volume.name, of: pod.name)]
        }
        let execution = try await Subprocess.run(
            .path(FilePath(probePath)), arguments: Arguments(arguments), platformOptions: Self.detached,
            input: .inputWriter, output: .sequence, error: .string(limit: 64 * 1024)
        ) { execution -> [ContainerOutcome]? in
            var lines = execution.standardOutput.strings().makeAsyncIterator()
            guard try await lines.next() == "ready" else { return nil }
            var pids = infraPIDs
            pids[pod.name] = execution.processIdentifier.value
            let outcomes = try await withPods(pods.dropFirst(), directory, infraPIDs: pids, body)
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

    private func runContainers(_ scenario: Scenario, _ directory: PodDirectory, infraPIDs: [String: Int32]) async throws -> [ContainerOutcome] {
        let watchdog = Watchdog()
        let deadlineSeconds = max(1, scenario.timeout / 1_000_000_000)
        return try await withThrowingTaskGroup(of: ContainerOutcome?.self) { group in
            for pod in scenario.pods {
                for container in pod.containers {
                    var arguments = ["container", "--pod", String(infraPIDs[pod.name]!), "--rootfs", directory.rootfs(container.name, of: pod.name)]
                    for mount in container.volumeMounts {
                        let source = directory.volume(mount.name, of: pod.name)
                        arguments += ["--bind", source + ":" + mount.mountPath + (mount.readOnly ? ":ro" : "")]
                    }
                    arguments += ["--", "--deadline", "\(deadlineSeconds)s"] + container.probeArguments
                    group.addTask {
                        try await runContainer(pod: pod.name, container: container.name, arguments, watchdog)
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .nanoseconds(Int64(scenario.timeout)) + killGrace)
                await watchdog.fire()
                return nil
            }
            var outcomes: [ContainerOutcome] = []
            let expected = scenario.pods.reduce(0) { $0 + $1.containers.count }
            while outcomes.count < expected, let next = try await group.next() {
                if let outcome = next { outcomes.append(outcome) }
            }
            group.cancelAll()
            return outcomes.sorted { ($0.pod, $0.container) < ($1.pod, $1.container) }
        }
    }

    private func runContainer(pod: String, container: String, _ arguments: [String], _ watchdog: Watchdog) async throws -> ContainerOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await Subprocess.run(
            .path(FilePath(probePath)), arguments: Arguments(arguments), platformOptions: Self.detached,
            input: .none, output: .string(limit: 64 * 1024 * 1024), error: .string(limit: 1024 * 1024)
        ) { execution in
            await watchdog.watch(execution.processIdentifier.value)
        }
        let pid = result.processIdentifier.value
        let killed = await watchdog.release(pid)
        let duration = clock.now - start
        let error = result.standardError
        let ending: ContainerOutcome.Ending
        switch result.terminationStatus {
        case .exited(let code): ending = .exited(code)
        case .signaled(let signal): ending = killed ? .timedOut : .signaled(signal)
        }
        if ending == .exited(125), let reason = error.split(separator: "\n").last(where: { $0.contains("sandbox") }) {
            throw RuntimeError("container \(pod)/\(container) could not be set up", cause: String(reason))
        }
        return ContainerOutcome(
            pod: pod, container: container, ending: ending,
            standardOutput: result.standardOutput, standardError: error,
            duration: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}

/// Kills the containers still running when a scenario's time is up.
private actor Watchdog {
    private var running: Set<Int32> = []
    private var killed: Set<Int32> = []
    private var fired = false

    func watch(_ pid: Int32) {
        running.insert(pid)
        if fired { kill(pid) }
    }

    /// Forgets a finished container; returns whether the watchdog killed it.
    func release(_ pid: Int32) -> Bool {
        running.remove(pid)
        return killed.remove(pid) != nil
    }

    func fire() {
        fired = true
        for pid in running { kill(pid) }
    }

    private func kill(_ pid: Int32) {
        killed.insert(pid)
        _ = Glibc.kill(pid, SIGKILL)
    }
}
