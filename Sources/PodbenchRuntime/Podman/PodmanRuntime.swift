import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchSystem

/// Runs scenarios as real pods on podman: renders their manifests, plays them with
/// `podman kube play`, waits for every container with the scenario's timeout, collects each
/// container's output and exit status, and removes the pods and their volumes
/// (`podman kube down`) whatever happened: failure, timeout or Ctrl-C.
///
/// Containers of a pod start in no set order; probes meet through markers on their volumes
/// or retry until their `wait`, as on Kubernetes.
public struct PodmanRuntime: PodRuntime {
    public let kind = RuntimeKind.podman
    public var options: ManifestOptions
    public var podman: Podman
    /// Extra time past the scenario's timeout before pods are removed: each probe stops itself
    /// at the timeout and says why.
    public var grace: Duration = .seconds(10)
    public var temporaryDirectory = "/tmp"
    /// The OCI runtime podman uses (`runc`, `crun`), written into podbench's containers.conf.
    public var ociRuntime: String

    public init(options: ManifestOptions, ociRuntime: String = "runc", podman: Podman = Podman()) {
        var options = options
        options.engine = .podman
        self.options = options
        self.ociRuntime = ociRuntime
        self.podman = podman
    }

    public func refusal(_ scenario: Scenario) -> String? {
        PodManifest.refusal(scenario, options)
    }

    /// podman's pods and volumes of runs that are gone, by podbench's labels.
    public func removeLeftovers(dryRun: Bool) async throws(RuntimeError) -> [String] {
        let work: LockedDirectory, podman: Podman
        do {
            work = try LockedDirectory.make((temporaryDirectory as NSString).appendingPathComponent("podbench-work-XXXXXX"))
            podman = try Podman.configured(in: work.path, executable: self.podman.executable)
        } catch {
            throw RuntimeError("cannot prepare podman's configuration under \(temporaryDirectory)", cause: "\(error)")
        }
        defer { work.remove() }
        return try await Cleanup.podman(podman, base: temporaryDirectory, dryRun: dryRun)
    }

    public func describe() async -> RuntimeDescription {
        let version = try? await podman.run(["version", "--format", "{{.Client.Version}}"])
        return RuntimeDescription(version: version?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", runtimeClass: ociRuntime, containerLimits: PodManifest.containerLimits)
    }

    public func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome] {
        let options = self.options.forOneRun()
        let volumes = Array(Set(scenario.pods.flatMap { $0.volumes.map { PodManifest.volumeName($0.name, options) } })).sorted()
        let lifecycle = PodLifecycle(kind: kind, runLabel: options.runLabel, base: temporaryDirectory,
                                     leftovers: "the pods of \(scenario.name) may still be on podman: 'podbench cleanup --runtime podman' removes them")
        return try await lifecycle.run { directory throws(RuntimeError) in
            let manifest = (directory.path as NSString).appendingPathComponent("pods.yaml")
            let podman: Podman
            do {
                podman = try Podman.configured(in: directory.path, ociRuntime: ociRuntime, executable: self.podman.executable)
                try PodManifest.yaml(scenario, options).write(toFile: manifest, atomically: true, encoding: .utf8)
            } catch {
                throw RuntimeError("cannot write the pod manifest", cause: "\(error)")
            }
            return ((podman, manifest), {
                _ = try? await podman.run(["kube", "down", manifest])
                if !volumes.isEmpty { _ = try? await podman.run(["volume", "rm", "--force"] + volumes) }
            })
        } _: { (podman: Podman, manifest: String) throws(RuntimeError) in
            // podman names an emptyDir's volume after it; made first, the volumes carry podbench's
            // labels, so that `podbench cleanup` finds exactly these.
            for volume in volumes {
                try await podman.check(["volume", "create", "--label", PodbenchLabel.madeByPodbench, "--label", PodbenchLabel.run.selector(options.runLabel), volume], "create the volume \(volume)")
            }
            return try await play(scenario, manifest: manifest, options: options, podman: podman)
        }
    }

    private func play(_ scenario: Scenario, manifest: String, options: ManifestOptions, podman: Podman) async throws(RuntimeError) -> [ContainerOutcome] {
        let createdAt = try await start(scenario, manifest: manifest, options: options, podman: podman)
        let containers = scenario.pods.flatMap { pod in
            pod.containers.map {
                (pod: pod.name, container: $0.name, podman: "\(PodManifest.podName(pod, options))-\($0.name)",
                 staysForOthers: ProbeCatalog.spec(role: $0.probe)?.staysForOthers == true)
            }
        }
        let release = Task {
            await releaseWhenUnneeded(containers.filter(\.staysForOthers).map(\.podman), others: containers.filter { !$0.staysForOthers }.map(\.podman), podman: podman)
        }
        let stopped = try await waitForAll(containers.map(\.podman), within: .nanoseconds(Int64(scenario.timeout)) + grace, podman: podman)
        let endedAt = realtimeNanoseconds()
        // Every container has ended: so has the release's own wait.
        await release.value
        var outcomes: [ContainerOutcome] = []
        for container in containers {
            let logs = try? await podman.run(["logs", container.podman])
            let timedOut = stopped.contains(container.podman)
            let ending: ContainerOutcome.Ending
            if timedOut {
                ending = .timedOut
            } else {
                let code = try? await podman.run(["inspect", "--format", "{{.State.ExitCode}}", container.podman])
                ending = .exited(Int32(code?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1)
            }
            outcomes.append(ContainerOutcome(
                pod: container.pod, container: container.container, ending: ending, standardOutput: logs?.output ?? "", standardError: logs?.error ?? "",
                createdAt: createdAt[container.pod], endedAt: timedOut ? nil : endedAt))
        }
        return outcomes
    }

    /// Plays the pods, in one `kube play` unless some reach others at their addresses: then
    /// group by group (`PodPlan.startGroups`), each group made with the addresses podman gave
    /// the groups before. When each pod began to be made, by its scenario name.
    private func start(_ scenario: Scenario, manifest: String, options: ManifestOptions, podman: Podman) async throws(RuntimeError) -> [String: UInt64] {
        let plan = PodPlan(scenario, options)
        let groups = plan.startGroups(scenario)
        var createdAt: [String: UInt64] = [:]
        var addresses: [String: IPAddress] = [:]
        for (index, group) in groups.enumerated() {
            var file = manifest
            if groups.count > 1 {
                file = (manifest as NSString).deletingPathExtension + "-\(index + 1).yaml"
                do {
                    try PodManifest.yaml(group.map { $0.addressed(addresses) }).write(toFile: file, atomically: true, encoding: .utf8)
                } catch {
                    throw RuntimeError("cannot write the pod manifest", cause: "\(error)")
                }
            }
            let now = realtimeNanoseconds()
            for pod in group { createdAt[pod.hostname] = now }
            try await podman.check(["kube", "play", file], "start the pods of \(scenario.name) (podman kube play)")
            for pod in group where pod.isAddressed(in: scenario) {
                addresses[pod.hostname] = try await address(of: pod.name, podman: podman)
            }
        }
        return createdAt
    }

    /// The address podman gave a pod: its infrastructure container's on the pod network.
    private func address(of pod: String, podman: Podman) async throws(RuntimeError) -> IPAddress {
        let infrastructure = try await podman.check(["pod", "inspect", "--format", "{{.InfraContainerID}}", pod], "find the infrastructure container of \(pod)")
        let id = infrastructure.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let listed = try await podman.check(["inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", id], "read the address of \(pod)")
        guard let address = listed.output.split(separator: " ").lazy.compactMap({ IPAddress(String($0.trimmingCharacters(in: .whitespacesAndNewlines))) }).first else {
            throw RuntimeError("podman gave the pod \(pod) no address", cause: "its infrastructure container is on no network with an address ('\(listed.output.trimmingCharacters(in: .whitespacesAndNewlines))'); pods that reach each other need one, as on podman's default kube network")
        }
        return address
    }

    /// Releases the containers that only stay for others (`ProbeSpec.staysForOthers`, SIGUSR1,
    /// which the probes read from a signalfd) once every other container has ended, as the
    /// local runtime does: podman has started them all by the time `kube play` returns.
    private func releaseWhenUnneeded(_ holders: [String], others: [String], podman: Podman) async {
        guard !holders.isEmpty else { return }
        if !others.isEmpty {
            guard (try? await podman.run(["wait"] + others))?.succeeded == true else { return }
        }
        // A holder that has ended already cannot be signalled; the others still are.
        _ = try? await podman.run(["kill", "--signal", "USR1"] + holders)
    }

    /// Waits for the containers to exit within `limit`; the ones still running then, which are
    /// stopped.
    private func waitForAll(_ names: [String], within limit: Duration, podman: Podman) async throws(RuntimeError) -> Set<String> {
        let waited: CommandResult?? = await withTaskGroup(of: CommandResult??.self) { group in
            group.addTask { .some(try? await podman.run(["wait"] + names)) }
            group.addTask {
                try? await Task.sleep(for: limit)
                return .none
            }
            let first = await group.next() ?? .none
            group.cancelAll()
            return first
        }
        switch waited {
        case .some(let result?) where result.succeeded:
            return []
        case .some(let result):
            throw RuntimeError("podman could not wait for the containers", cause: result?.failure(of: [podman.executable, "wait"] + names) ?? "podman did not start")
        case .none:
            // The time ran out: note which containers were still running, then stop them, so
            // that the waiting `podman wait` ends too.
            let states = try? await podman.run(["inspect", "--format", "{{.Name}} {{.State.Running}}"] + names)
            _ = try? await podman.run(["stop", "--time", "1"] + names)
            // Unreadable states: every container counts as still running.
            guard let states, states.succeeded else { return Set(names) }
            return Set(states.namesAndValues.filter { $0.value == "true" }.map(\.name))
        }
    }
}
