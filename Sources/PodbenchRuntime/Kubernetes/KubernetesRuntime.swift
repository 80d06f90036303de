import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchSystem

/// Runs scenarios as pods on a Kubernetes cluster through `kubectl`: applies the rendered
/// manifests, follows the pods with `get -o json` until every container ended (or the
/// timeout), reads each container's log and its exit code from
/// `status.containerStatuses[].state.terminated`, and deletes the pods by their run label,
/// also on failure, timeout and Ctrl-C (unless `keep`).
///
/// A pod that never starts (image pull error, unschedulable, refused by admission or
/// PodSecurity) is an infrastructure error carrying kubectl's reason, never a failed check.
public struct KubernetesRuntime: PodRuntime {
    public let kind = RuntimeKind.kubernetes
    /// The pods run on a cluster's nodes, not beside podbench.
    public var runsPodsHere: Bool { false }
    public var options: ManifestOptions
    public var kubectl: Kubectl
    /// Create the namespace when it is missing (`--create-namespace`).
    public var createNamespace = false
    /// Leave the pods for debugging, and say how to remove them.
    public var keep = false
    /// Time past the scenario's timeout for pods to be scheduled and pulled.
    public var grace: Duration = .seconds(60)
    /// How often pods are looked at.
    public var pollInterval: Duration = .milliseconds(250)
    /// Where each run keeps its manifest and the lock that tells `podbench cleanup` it is going.
    public var temporaryDirectory = "/tmp"
    /// Where `keep` says how to remove the pods.
    public var note: @Sendable (String) -> Void = { _ in }

    public init(options: ManifestOptions, kubectl: Kubectl = Kubectl()) {
        var options = options
        options.engine = .kubernetes
        self.options = options
        self.kubectl = kubectl
    }

    public func refusal(_ scenario: Scenario) -> String? {
        PodManifest.refusal(scenario, options)
    }

    /// The pods podbench made in kubectl's namespace for runs that are gone, by their labels.
    public func removeLeftovers(dryRun: Bool) async throws(RuntimeError) -> [String] {
        try await Cleanup.kubernetes(kubectl, base: temporaryDirectory, dryRun: dryRun)
    }

    /// The API server's version, and the nodes the pods can be placed on: their kernel, CPU
    /// count, kubelet and container runtime. When the nodes cannot be listed (RBAC often allows
    /// no cluster-scoped reads), the fingerprint says so instead of describing this machine.
    public func describe() async -> RuntimeDescription {
        let version = try? await kubectl.run(["version", "--output", "json"])
        let server = (version?.output).flatMap { try? JSONDecoder().decode(Versions.self, from: Data($0.utf8)) }?.serverVersion?.gitVersion ?? ""
        let listing = try? await kubectl.run(["get", "nodes", "--output", "json"])
        let nodes = listing.flatMap { $0.succeeded ? try? JSONDecoder().decode(NodeList.self, from: Data($0.output.utf8)) : nil }
        guard let candidates = nodes?.candidates(options), !candidates.isEmpty else {
            let why = nodes == nil ? "unknown (the nodes cannot be listed)" : "unknown (no schedulable node matches)"
            let unknown = RuntimeDescription.Machines(cpuModel: "unknown", cpuCount: 0, kernel: "unknown", cgroupVersion: "unknown", names: why)
            return RuntimeDescription(version: server, runtimeClass: options.runtimeClass, containerLimits: PodManifest.containerLimits, machines: unknown)
        }
        let (machines, software) = NodeList.machines(of: candidates)
        return RuntimeDescription(version: server.isEmpty ? software : "\(server); \(software)", runtimeClass: options.runtimeClass, containerLimits: PodManifest.containerLimits, machines: machines)
    }

    private struct Versions: Decodable {
        struct Info: Decodable { var gitVersion: String? }
        var serverVersion: Info?
    }

    public func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome] {
        let options = self.options.forOneRun()
        let selector = PodbenchLabel.run.selector(options.runLabel)
        let groups = PodPlan(scenario, options).startGroups(scenario)
        let kubectl = self.kubectl
        let removal = kubectl.commandLine(["delete", "pods", "-l", selector])
        // The run directory is held while the pods exist: `podbench cleanup` on this machine
        // leaves them alone.
        let lifecycle = PodLifecycle(kind: kind, runLabel: options.runLabel, base: temporaryDirectory,
                                     leftovers: "the pods of \(scenario.name) may still be on the cluster: \(removal) removes them")
        return try await lifecycle.run { [keep, note] _ in
            ((), {
                if keep {
                    note("kept the pods of \(scenario.name); remove them with: \(removal)")
                } else {
                    _ = try? await kubectl.run(["delete", "pods", "-l", selector, "--wait=false", "--ignore-not-found"])
                }
            })
        } _: { () throws(RuntimeError) in
            let creation = createNamespace ? await prepareNamespace() : nil
            let createdAt = realtimeNanoseconds()
            // Pods that others reach at their addresses are made first, and the pods that reach
            // them once the cluster has given them one (`PodPlan.startGroups`).
            var addresses: [String: IPAddress] = [:]
            for (index, group) in groups.enumerated() {
                let manifest: String
                do {
                    manifest = try PodManifest.yaml(group.map { $0.addressed(addresses) })
                } catch {
                    throw RuntimeError("cannot prepare the pod manifest", cause: "\(error)")
                }
                try await apply(manifest, of: scenario, creation: creation)
                if index + 1 < groups.count {
                    try await addresses.merge(addressesOf(group.filter { $0.isAddressed(in: scenario) }, of: scenario, selector: selector)) { $1 }
                }
            }
            return try await follow(scenario, options: options, selector: selector, createdAt: createdAt)
        }
    }

    /// The run's pods as kubectl lists them; a pod that will never start is the cluster's
    /// failure, said with its reason.
    private func listPods(of scenario: Scenario, selector: String) async throws(RuntimeError) -> [PodList.Pod] {
        let listing = try await kubectl.check(["get", "pods", "-l", selector, "--output", "json"], "read the pods of \(scenario.name)")
        let pods: [PodList.Pod]
        do {
            pods = try JSONDecoder().decode(PodList.self, from: Data(listing.output.utf8)).items
        } catch {
            throw RuntimeError("kubectl get pods gave no pod list", cause: "\(error)")
        }
        if let reason = pods.lazy.compactMap(\.neverStarts).first {
            throw RuntimeError("a pod of \(scenario.name) never started", cause: reason)
        }
        return pods
    }

    /// Waits for the cluster to give each pod its address (`status.podIP`), within the grace
    /// time for scheduling and pulling; the addresses by the pods' scenario names.
    private func addressesOf(_ pods: [PodPlan.Pod], of scenario: Scenario, selector: String) async throws(RuntimeError) -> [String: IPAddress] {
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while true {
            let items = try await listPods(of: scenario, selector: selector)
            var addresses: [String: IPAddress] = [:]
            for pod in pods {
                if let address = items.first(where: { $0.metadata.name == pod.name })?.status?.podIP.flatMap(IPAddress.init) {
                    addresses[pod.hostname] = address
                }
            }
            if addresses.count == pods.count { return addresses }
            if clock.now > deadline {
                let missing = pods.filter { addresses[$0.hostname] == nil }.map(\.name)
                throw RuntimeError("the cluster gave no address to \(missing.joined(separator: ", ")) within \(grace)", cause: "the pods that reach them need their addresses (status.podIP) to start")
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                throw RuntimeError("interrupted")
            }
        }
    }

    /// Applies the manifest; a missing namespace is said as such, with why it could not be
    /// created (`creation`) or how to have it created.
    private func apply(_ manifest: String, of scenario: Scenario, creation: RuntimeError?) async throws(RuntimeError) {
        do {
            try await kubectl.check(["apply", "-f", "-"], "create the pods of \(scenario.name)", input: manifest)
        } catch where (error.cause ?? "").contains("namespaces \"\(kubectl.namespace)\" not found") {
            throw creation ?? RuntimeError("the namespace \(kubectl.namespace) does not exist", cause: "create it, or pass --create-namespace")
        }
    }

    /// Creates the namespace unless it can be read. An account may be allowed to make pods in
    /// a namespace it may not read or create: a failed creation is returned, not thrown, and
    /// said only if the pods then find no namespace.
    private func prepareNamespace() async -> RuntimeError? {
        let found = try? await kubectl.run(["get", "namespace", kubectl.namespace, "--output", "name"])
        guard found?.succeeded != true else { return nil }
        do {
            try await kubectl.check(["create", "namespace", kubectl.namespace], "create the namespace \(kubectl.namespace)")
            return nil
        } catch {
            return error
        }
    }

    /// Polls the run's pods until all finished; their containers' outcomes.
    private func follow(_ scenario: Scenario, options: ManifestOptions, selector: String, createdAt: UInt64) async throws(RuntimeError) -> [ContainerOutcome] {
        let clock = ContinuousClock()
        let deadline = clock.now + .nanoseconds(Int64(scenario.timeout)) + grace
        var pods: [PodList.Pod] = []
        var endedAt: UInt64?
        while true {
            pods = try await listPods(of: scenario, selector: selector)
            let nodes = Set(pods.compactMap(\.spec?.nodeName))
            if nodes.count > 1 {
                throw RuntimeError("the pods of \(scenario.name) were placed on different nodes (\(nodes.sorted().joined(separator: ", ")))",
                                   cause: "pods on different machines share nothing, so their isolation would prove nothing; podbench asks for one node with podAffinity, which this cluster did not honour: pin them with --node")
            }
            if pods.count == scenario.pods.count, pods.allSatisfy(\.finished) {
                endedAt = realtimeNanoseconds()
                break
            }
            if clock.now > deadline { break }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                throw RuntimeError("interrupted")
            }
        }
        // A container that never ran, by the deadline or by the pod's end, is the cluster's
        // failure (a sandbox or volume that could not be made, a pull that never ended), not the
        // probe's: every pod is looked at before any log is read.
        var listed: [(spec: PodSpec, pod: PodList.Pod)] = []
        for spec in scenario.pods {
            let name = PodManifest.podName(spec, options)
            guard let pod = pods.first(where: { $0.metadata.name == name }) else {
                throw RuntimeError("a pod of \(scenario.name) never ran", cause: "\(name) was not found")
            }
            if let reason = pod.notRun(spec.containers.map(\.name)) {
                throw RuntimeError("a pod of \(scenario.name) never ran", cause: reason)
            }
            listed.append((spec, pod))
        }
        var outcomes: [ContainerOutcome] = []
        for (pod, found) in listed {
            for container in pod.containers {
                let log = try? await kubectl.run(["logs", found.metadata.name, "--container", container.name])
                let ending = found.ending(of: container.name)
                // Kubernetes keeps one log per container, standard output and error together: the
                // probe's records are its JSON lines, the rest is what it said on error.
                let text = log?.output ?? ""
                let said = text.split(separator: "\n").filter { !$0.hasPrefix("{\"") }.joined(separator: "\n")
                outcomes.append(ContainerOutcome(pod: pod.name, container: container.name, ending: ending, standardOutput: text, standardError: said,
                                                 createdAt: createdAt, endedAt: ending == .timedOut ? nil : endedAt))
            }
        }
        return outcomes
    }
}
