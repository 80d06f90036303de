import Foundation
import PodbenchCore
import PodbenchProbes

/// Runs scenarios as real pods on podman: renders their manifests, plays them with
/// `podman kube play`, waits for every container with the scenario's timeout, collects each
/// container's output and exit status, and removes the pods and their volumes
/// (`podman kube down`) whatever happened: failure, timeout or Ctrl-C.
///
/// Containers of a pod start in no set order; probes meet through markers on their volumes
/// or retry until their `wait`, as on Kubernetes.
public struct PodmanRuntime: PodRuntime {
    public let name = "podman"
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

    public func describe() async -> RuntimeDescription {
        let version = try? await podman.run(["version", "--format", "{{.Client.Version}}"])
        return RuntimeDescription(version: version?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", runtimeClass: ociRuntime, containerLimits: PodManifest.containerLimits)
    }

    public func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome] {
        let options = self.options.forOneRun()
        let directory: String, lock: DirectoryLock?
        do {
            (directory, lock) = try DirectoryLock.makeDirectory("\(temporaryDirectory)/podbench-podman-XXXXXX")
        } catch {
            throw RuntimeError("cannot prepare the manifest directory under \(temporaryDirectory)", cause: "\(error)")
        }
        defer { lock?.release() }
        let podman: Podman
        let manifest = (directory as NSString).appendingPathComponent("pods.yaml")
        do {
            podman = try Podman.configured(in: directory, ociRuntime: ociRuntime, executable: self.podman.executable)
            try PodManifest.yaml(scenario, options).write(toFile: manifest, atomically: true, encoding: .utf8)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw RuntimeError("cannot write the pod manifest", cause: "\(error)")
        }
        let remove = { [podman] in
            // Removal must happen even when the run was cancelled: a detached task is not.
            _ = await Task.detached { try? await podman.run(["kube", "down", manifest]) }.value
            try? FileManager.default.removeItem(atPath: directory)
        }
        let token = EmergencyCleanup.register {
            // A second Ctrl-C: no time to wait for podman; the pods go by label with `podbench cleanup`.
            try? FileManager.default.removeItem(atPath: directory)
        }
        defer { EmergencyCleanup.unregister(token) }
        do {
            let outcomes = try await play(scenario, manifest: manifest, podman: podman)
            await remove()
            return outcomes
        } catch {
            await remove()
            if Task.isCancelled { throw RuntimeError("interrupted") }
            throw error
        }
    }

    private func play(_ scenario: Scenario, manifest: String, podman: Podman) async throws(RuntimeError) -> [ContainerOutcome] {
        let createdAt = realtimeNanoseconds()
        try await podman.check(["kube", "play", manifest], "start the pods of \(scenario.name) (podman kube play)")
        let containers = scenario.pods.flatMap { pod in pod.containers.map { (pod: pod.name, container: $0.name, podman: "\(pod.name)-\($0.name)") } }
        let timedOut = await waitForAll(containers.map(\.podman), within: .nanoseconds(Int64(scenario.timeout)) + grace, podman: podman)
        let endedAt = realtimeNanoseconds()
        var outcomes: [ContainerOutcome] = []
        for container in containers {
            let logs = try? await podman.run(["logs", container.podman])
            let code = try? await podman.run(["inspect", "--format", "{{.State.ExitCode}}", container.podman])
            let ending: ContainerOutcome.Ending = timedOut ? .timedOut : .exited(Int32(code?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1)
            outcomes.append(ContainerOutcome(
                pod: container.pod, container: container.container, ending: ending, standardOutput: logs?.output ?? "", standardError: logs?.error ?? "",
                createdAt: createdAt, endedAt: timedOut ? nil : endedAt))
        }
        return outcomes
    }

    /// Waits for the containers to exit; whether the time ran out first.
    private func waitForAll(_ names: [String], within limit: Duration, podman: Podman) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try? await podman.run(["wait"] + names)
                return false
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return true
            }
            let first = await group.next() ?? true
            group.cancelAll()
            if first {
                // Stop what is still running, so that the waiting `podman wait` ends too.
                _ = try? await podman.run(["stop", "--time", "1"] + names)
            }
            return first
        }
    }
}
