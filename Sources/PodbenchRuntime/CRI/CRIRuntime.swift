import Foundation
import PodbenchCRI
import PodbenchCore
import PodbenchProbeInterface
import PodbenchSystem

/// Runs scenarios over the CRI, the interface the kubelet drives containerd and CRI-O
/// through, playing the kubelet's part: a pod sandbox per pod (RunPodSandbox under the
/// runtime handler), its emptyDirs as host directories, its containers created and started,
/// followed until every one ended or the timeout, their logs read from the CRI log files, and
/// the sandboxes stopped and removed by the run's label on every path (failure, timeout,
/// Ctrl-C).
public struct CRIRuntime: PodRuntime {
    public let kind = RuntimeKind.cri
    public var endpoint: CRIEndpoint
    /// The runtime handler pods run under (what a RuntimeClass names); nil for the default.
    public var handler: String?
    public var options: ManifestOptions
    /// Extra time past the scenario's timeout before containers are stopped: each probe stops
    /// itself at the timeout and says why.
    public var grace: Duration = .seconds(10)
    /// How often the containers are looked at.
    public var pollInterval: Duration = .milliseconds(100)
    /// Where each run keeps its pods' log files and emptyDirs.
    public var temporaryDirectory = "/tmp"

    public init(endpoint: CRIEndpoint, handler: String? = nil, options: ManifestOptions) {
        var options = options
        // The CRI's pods follow Kubernetes' semantics (emptyDirs by their own names, added
        // capabilities only for root).
        options.engine = .kubernetes
        self.endpoint = endpoint
        self.handler = handler
        self.options = options
    }

    public func refusal(_ scenario: Scenario) -> String? {
        PodManifest.refusal(scenario, options)
    }

    /// The runtime's name and version (Version) and the conditions that are not met (Status),
    /// and the handler: the default one by its name where the runtime says it (a run under
    /// `runc` named or by default is one column of a matrix).
    public func describe() async -> RuntimeDescription {
        let facts = try? await endpoint.connect { cri in
            let version = try await cri.runtime.version(.with { $0.version = "v1" })
            let status = try await cri.runtime.status(.with { $0.verbose = true })
            return (version, status.status.conditions.filter { !$0.status }.map(\.type), CRIConfiguration(status.info["config"]).defaultHandler)
        }
        guard let (version, unmet, defaultHandler) = facts else {
            return RuntimeDescription(version: "unknown (\(endpoint) did not answer)", runtimeClass: handler, containerLimits: PodManifest.containerLimits)
        }
        var text = "\(version.runtimeName) \(version.runtimeVersion) (CRI \(version.runtimeApiVersion))"
        if !unmet.isEmpty { text += "; not \(unmet.joined(separator: ", "))" }
        return RuntimeDescription(version: text, runtimeClass: handler ?? defaultHandler, containerLimits: PodManifest.containerLimits)
    }

    public func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome] {
        let options = self.options.forOneRun()
        let plan = PodPlan(scenario, options)
        let label = options.runLabel
        let endpoint = self.endpoint
        let lifecycle = PodLifecycle(kind: kind, runLabel: label, base: temporaryDirectory,
                                     leftovers: "the pod sandboxes of \(scenario.name) may still be on \(endpoint): 'podbench cleanup --runtime cri' removes them")
        return try await lifecycle.run { directory throws(RuntimeError) in
            var files: [String: PodFiles] = [:]
            for pod in plan.pods {
                let root = (directory.path as NSString).appendingPathComponent(pod.hostname)
                let logs = (root as NSString).appendingPathComponent("logs")
                do {
                    try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
                } catch {
                    throw RuntimeError("cannot make the log directory of \(pod.hostname)", cause: "\(error)")
                }
                files[pod.name] = PodFiles(logs: logs, volumes: try EmptyDirs.make(pod, under: root))
            }
            return (files, {
                _ = try? await Self.removeSandboxes([PodbenchLabel.run.rawValue: label], endpoint: endpoint)
                // Detached until none is left, for up to 5 s: a sandbox on its way out may
                // still hand a volume's mount back.
                for _ in 0..<50 {
                    _ = Mounts.detach(under: directory.path)
                    if Mounts.under(directory.path).isEmpty { break }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            })
        } _: { (files: [String: PodFiles]) throws(RuntimeError) in
            try await play(plan, of: scenario, files: files, label: label)
        }
    }

    /// Where a pod's files are on the host: its log directory, and each emptyDir's directory by
    /// the volume's name.
    private struct PodFiles {
        var logs: String
        var volumes: [String: String]
    }

    /// One container of the run, and where its log is.
    struct Started {
        var pod: PodPlan.Pod
        var container: PodPlan.Container
        var id: String
        var log: String
    }

    private func play(_ plan: PodPlan, of scenario: Scenario, files: [String: PodFiles], label: String) async throws(RuntimeError) -> [ContainerOutcome] {
        try await calling(endpoint, "run the pods of \(scenario.name)") { cri in
            let createdAt = realtimeNanoseconds()
            var started: [Started] = []
            // The addresses of the pods that others reach, by scenario name: a peer is listed,
            // and so made, before the pods that reach it.
            var addresses: [String: IPAddress] = [:]
            for unaddressed in plan.pods {
                let pod = unaddressed.addressed(addresses)
                let logs = files[pod.name]?.logs ?? ""
                let config = CRIPodConfig.sandbox(pod, logDirectory: logs, volumes: files[pod.name]?.volumes ?? [:])
                let sandboxRequest = Runtime_V1_RunPodSandboxRequest.with {
                    $0.config = config
                    $0.runtimeHandler = handler ?? ""
                }
                let sandbox = try await uninterrupted { try await $0.runtime.runPodSandbox(sandboxRequest).podSandboxID }
                if pod.isAddressed(in: scenario) {
                    addresses[pod.hostname] = try await address(of: sandbox, pod: pod.hostname, cri)
                }
                var created: [Started] = []
                for container in pod.containers {
                    try Task.checkCancellation()
                    let request = Runtime_V1_CreateContainerRequest.with {
                        $0.podSandboxID = sandbox
                        $0.config = CRIPodConfig.container(container, of: pod, volumes: files[pod.name]?.volumes ?? [:])
                        $0.sandboxConfig = config
                    }
                    let id = try await uninterrupted { try await $0.runtime.createContainer(request).containerID }
                    created.append(Started(pod: pod, container: container, id: id, log: (logs as NSString).appendingPathComponent(CRIPodConfig.logPath(of: container.name))))
                }
                for container in created {
                    try Task.checkCancellation()
                    _ = try await uninterrupted { try await $0.runtime.startContainer(.with { $0.containerID = container.id }) }
                }
                started += created
            }
            let limit = Duration.nanoseconds(Int64(scenario.timeout)) + grace
            let staying = Set(scenario.pods.flatMap { pod in pod.containers.filter { ProbeCatalog.spec(role: $0.probe)?.staysForOthers == true }.map { "\(pod.name)/\($0.name)" } })
            let holders = started.filter { staying.contains("\($0.pod.hostname)/\($0.container.name)") }.map(\.id)
            let release = Task { [started] in
                try await releaseWhenUnneeded(holders, others: started.map(\.id).filter { !holders.contains($0) }, label: label, within: limit)
            }
            let exited = try await follow(started.map(\.id), label: label, within: limit)
            release.cancel()
            _ = await release.result
            let endedAt = realtimeNanoseconds()
            var outcomes: [ContainerOutcome] = []
            for container in started {
                let timedOut = !exited.contains(container.id)
                if timedOut { _ = try? await cri.runtime.stopContainer(.with { $0.containerID = container.id; $0.timeout = 1 }) }
                let status = try await cri.runtime.containerStatus(.with { $0.containerID = container.id }).status
                let log = (try? String(contentsOfFile: container.log, encoding: .utf8)) ?? ""
                let streams = CRILog.streams(log)
                outcomes.append(ContainerOutcome(
                    pod: container.pod.hostname, container: container.container.name, ending: timedOut ? .timedOut : .exited(status.exitCode),
                    standardOutput: streams.standardOutput, standardError: streams.standardError, createdAt: createdAt, endedAt: timedOut ? nil : endedAt))
            }
            return outcomes
        }
    }

    /// The address the runtime's pod network gave a sandbox (PodSandboxStatus).
    private func address(of sandbox: String, pod: String, _ cri: CRIServices) async throws -> IPAddress {
        let network = try await cri.runtime.podSandboxStatus(.with { $0.podSandboxID = sandbox }).status.network
        guard let address = IPAddress(network.ip) else {
            throw RuntimeError("the pod \(pod) has no address at \(endpoint)", cause: "its sandbox status gives '\(network.ip)'; pods that reach each other need a pod network (a CNI configuration that gives addresses)")
        }
        return address
    }

    /// A call that makes something on the runtime, run to its end even when the run is
    /// cancelled (Ctrl-C), on a connection of its own: cut off mid-way, containerd leaves a
    /// container "starting", which nothing can remove. The run stops between such calls.
    private func uninterrupted<Result: Sendable>(_ call: @escaping @Sendable (CRIServices) async throws -> Result) async throws -> Result {
        let endpoint = self.endpoint
        return try await Task.detached { try await endpoint.connect(call) }.value
    }

    /// Waits until every container exited, or `limit`; the ones that exited. Each look is a
    /// connection of its own: containerd 1.6 ends a connection from this client after about
    /// two hundred calls ("stream unexpectedly closed"), which a long wait would reach.
    func follow(_ ids: [String], label: String, within limit: Duration) async throws -> Set<String> {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var exited: Set<String> = []
        while true {
            let listing = try await endpoint.connect { try await $0.runtime.listContainers(.with { $0.filter.labelSelector = [PodbenchLabel.run.rawValue: label] }) }
            exited = Set(listing.containers.filter { $0.state == .containerExited }.map(\.id)).intersection(ids)
            if exited.count == ids.count || clock.now > deadline { return exited }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// Stops and removes the sandboxes (and so their containers) whose labels match `selector`;
    /// their names.
    static func removeSandboxes(_ selector: [String: String], except live: Set<String> = [], endpoint: CRIEndpoint, dryRun: Bool = false) async throws(RuntimeError) -> [String] {
        let sandboxes = try await calling(endpoint, "list podbench's pod sandboxes") { cri in
            try await cri.runtime.listPodSandbox(.with { $0.filter.labelSelector = selector }).items
        }
        var removed: [String] = []
        // A connection each, however many there are (see `follow`).
        for sandbox in sandboxes where !live.contains(sandbox.labels[PodbenchLabel.run.rawValue] ?? "") {
            let name = "CRI pod sandbox \(sandbox.metadata.name) (\(sandbox.id.prefix(12)))"
            if dryRun {
                removed.append(name)
                continue
            }
            // A container whose start a killed client cut off stays "starting" for a moment,
            // and cannot be removed until containerd has given up on it: tried for up to 10 s.
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(10)
            while true {
                do {
                    try await calling(endpoint, "remove the pod sandbox \(sandbox.metadata.name)") { cri in
                        _ = try await cri.runtime.stopPodSandbox(.with { $0.podSandboxID = sandbox.id })
                        _ = try await cri.runtime.removePodSandbox(.with { $0.podSandboxID = sandbox.id })
                    }
                    break
                } catch where clock.now < deadline && !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                }
            }
            removed.append(name)
        }
        return removed
    }

    /// The pod sandboxes podbench made at this endpoint for runs that are gone, by their labels.
    public func removeLeftovers(dryRun: Bool) async throws(RuntimeError) -> [String] {
        try await Self.removeSandboxes([PodbenchLabel.managedBy.rawValue: PodbenchLabel.podbench], except: Cleanup.liveRunLabels(base: temporaryDirectory), endpoint: endpoint, dryRun: dryRun)
    }
}

/// Runs `body` connected to `endpoint`; a failed call is the runtime's failure, said with the
/// CRI's own message.
func calling<Result: Sendable>(_ endpoint: CRIEndpoint, _ what: String, _ body: (CRIServices) async throws -> Result) async throws(RuntimeError) -> Result {
    do {
        return try await endpoint.connect(body)
    } catch let error as RuntimeError {
        throw error
    } catch let error as CRIUnreachable {
        throw RuntimeError("cannot \(what) at \(endpoint)", cause: error.reason.explanation)
    } catch {
        if Task.isCancelled { throw RuntimeError("interrupted") }
        throw RuntimeError("cannot \(what) at \(endpoint)", cause: "\(error)")
    }
}
