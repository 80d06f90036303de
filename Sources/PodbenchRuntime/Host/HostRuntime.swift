import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchSystem

/// Runs a scenario's containers as plain processes on this machine, in its own namespaces: no
/// pod, no sandbox, the floor under every pod's figures (`--runtime host`). Each volume is a
/// directory in a temporary one, and every path argument on a volume is rewritten to it.
///
/// A scenario of two pods (isolation), a role that judges what only a pod has (its hostname,
/// its PID namespace, its volume's medium, its own loopback to capture) and a read-only volume
/// mount are skipped, with the reason. The IPC objects a killed probe would leave in the host's IPC
/// namespace are removed after each scenario (`HostIPCLeftovers`).
public struct HostRuntime: PodRuntime {
    public let kind = RuntimeKind.host
    /// The `podbench-probe` executable.
    public let probePath: String
    public let temporaryDirectory: String
    /// Extra time past the scenario's timeout before the processes are killed.
    public var killGrace: Duration = .seconds(3)

    public init(probePath: String, temporaryDirectory: String = "/tmp") {
        self.probePath = probePath
        self.temporaryDirectory = temporaryDirectory
    }

    /// The roles whose checks need a pod, and why.
    static let podOnlyRoles: [String: String] = [
        "hostname": "a pod's hostname",
        "process-peer": "a pod's PID namespace",
        "volume-medium": "an emptyDir's medium",
        "loopback-capture": "a pod's own loopback (the host's carries the machine's traffic)",
    ]

    public func refusal(_ scenario: Scenario) -> String? {
        if scenario.pods.count > 1 {
            return "the host runtime runs processes, not pods: what two pods must not share has no meaning there"
        }
        for container in scenario.pods.flatMap(\.containers) {
            if let what = Self.podOnlyRoles[container.probe] {
                return "the host runtime runs processes, not pods: \(container.probe) judges \(what)"
            }
            if container.volumeMounts.contains(where: \.readOnly) {
                return "the host runtime runs processes, not pods: \(container.name)'s read-only volume mount needs a mount namespace"
            }
        }
        return nil
    }

    public var hasPods: Bool { false }

    public func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome] {
        let directory = try PodDirectory.prepare(for: scenario, probe: probePath, base: temporaryDirectory)
        let processes = PodProcesses()
        let createdAt = realtimeNanoseconds()
        let leftovers = HostIPCLeftovers(scenario)
        let token = EmergencyCleanup.register {
            processes.killAll(waiting: .seconds(1))
            leftovers.remove()
            directory.remove()
        }
        defer {
            leftovers.remove()
            directory.remove()
            EmergencyCleanup.unregister(token)
        }
        do {
            return try await runProcesses(scenario, directory, processes).map { outcome in
                var timed = outcome
                timed.createdAt = createdAt
                return timed
            }
        } catch is CancellationError {
            throw RuntimeError("interrupted")
        } catch {
            throw RuntimeError("the host runtime failed", cause: "\(error)")
        }
    }

    /// A container's probe arguments with every path on one of its volumes moved to that
    /// volume's directory.
    public static func hostArguments(_ container: ContainerSpec, volume: (String) -> String) -> [String] {
        let spec = ProbeCatalog.spec(role: container.probe)
        var arguments = [container.probe]
        for (name, value) in container.args {
            var value = value
            if spec?.parameter(named: name)?.kind == .path,
               let mount = container.volumeMounts.first(where: { value == $0.mountPath || value.hasPrefix($0.mountPath + "/") }) {
                value = volume(mount.name) + value.dropFirst(mount.mountPath.count)
            }
            arguments += ["--" + name, value]
        }
        return arguments
    }

    private func runProcesses(_ scenario: Scenario, _ directory: PodDirectory, _ processes: PodProcesses) async throws -> [ContainerOutcome] {
        let launches = scenario.pods.flatMap { pod in
            pod.containers.map { container in
                PodProcesses.Launch(pod: pod.name, container: container,
                                    arguments: ["--deadline", "\(scenario.deadlineSeconds)s"] + Self.hostArguments(container) { directory.volume($0, of: pod.name) })
            }
        }
        return try await processes.runEach(launches, executable: probePath, environment: directory.environment, killingAfter: .nanoseconds(Int64(scenario.timeout)) + killGrace)
    }
}
