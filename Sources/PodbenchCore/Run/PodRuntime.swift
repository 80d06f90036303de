import PodbenchSystem
/// Where pods run: the local Linux namespaces, podman, or a Kubernetes cluster.
public protocol PodRuntime: Sendable {
    /// Which runtime this is; its name is stored with each run.
    var kind: RuntimeKind { get }
    /// Starts the scenario's pods, waits for every container to finish (or the scenario's
    /// timeout), collects each container's output, and removes everything it made, also when
    /// it fails. Throws when the runtime itself failed (no pod could be started).
    func run(_ scenario: Scenario) async throws(RuntimeError) -> [ContainerOutcome]
    /// Why this runtime cannot run the scenario as configured (it needs more privilege than the
    /// pods may have), or nil. Such a scenario is skipped with the reason.
    func refusal(_ scenario: Scenario) -> String?
    /// The engine's version, the runtime class and the pods' limits, for the fingerprint.
    func describe() async -> RuntimeDescription
    /// Whether the pods run on the machine podbench runs on, so that their namespaces can be
    /// compared with its own (pods must share none of the host's).
    var runsPodsHere: Bool { get }
    /// Whether it makes pods at all: the host runtime runs plain processes, whose namespaces
    /// are the machine's and are not judged.
    var hasPods: Bool { get }
    /// Whether scenarios that only wait may wait together: only where pods start in
    /// milliseconds whatever else runs (the local runtime). Elsewhere pods started side by side
    /// start seconds apart, longer than an isolated peer's bounded wait for the other pod.
    var waitsTogether: Bool { get }
    /// About how long (ns) a pod takes to start on an idle machine: what the first pod of a
    /// calibrated run is given before its turns with its host twin begin (`Turns`); later ones
    /// are given what the pod before them took. By default 1.5 s (podman's, here).
    var typicalStart: UInt64 { get }
    /// Removes what runs of this runtime that are gone left behind in it (pods, volumes,
    /// sandboxes found by podbench's labels), leaving alone what runs still going use; one
    /// line per thing removed (`podbench cleanup`), or with `dryRun` per thing it would
    /// remove, removing nothing. By default, nothing to remove.
    func removeLeftovers(dryRun: Bool) async throws(RuntimeError) -> [String]
    /// What must hold before any scenario runs: the runtime answers, has the handler or OCI
    /// runtime asked for, holds the images. Throws what is missing and what to do. By default,
    /// nothing to check.
    func preflight() async throws(RuntimeError)
}

/// What a runtime says of itself for a run's fingerprint.
public struct RuntimeDescription: Sendable {
    public var version: String
    /// The OCI runtime or Kubernetes RuntimeClass pods run under; nil for the default.
    public var runtimeClass: String?
    /// The CPU and memory limit each container gets; nil where podbench's own cgroup limits
    /// the pods (the local runtime).
    public var containerLimits: (cpu: String, memory: String)?
    /// The machines the pods run on when they are not this one (a cluster's nodes); nil for
    /// this machine.
    public var machines: Machines?

    public init(version: String = "", runtimeClass: String? = nil, containerLimits: (cpu: String, memory: String)? = nil, machines: Machines? = nil) {
        self.version = version
        self.runtimeClass = runtimeClass
        self.containerLimits = containerLimits
        self.machines = machines
    }

    /// What is known of the machines pods run on elsewhere; where they differ from each other,
    /// each field lists the distinct values.
    public struct Machines: Sendable, Equatable {
        public var cpuModel: String
        /// 0 when unknown or not the same on every machine.
        public var cpuCount: Int
        public var kernel: String
        public var cgroupVersion: String
        /// Which machines these are, for example the names of the nodes.
        public var names: String

        public init(cpuModel: String, cpuCount: Int, kernel: String, cgroupVersion: String, names: String) {
            self.cpuModel = cpuModel
            self.cpuCount = cpuCount
            self.kernel = kernel
            self.cgroupVersion = cgroupVersion
            self.names = names
        }
    }
}

extension PodRuntime {
    /// The name stored with each run (`local`, `podman`, `kubernetes`).
    public var name: String { kind.rawValue }
    public func removeLeftovers(dryRun: Bool) async throws(RuntimeError) -> [String] { [] }
    public func preflight() async throws(RuntimeError) {}
    public func refusal(_ scenario: Scenario) -> String? { nil }
    public func describe() async -> RuntimeDescription { RuntimeDescription() }
    public var runsPodsHere: Bool { true }
    public var hasPods: Bool { true }
    public var waitsTogether: Bool { false }
    public var typicalStart: UInt64 { 1_500_000_000 }
}

/// How one container of a pod ended, and what it printed.
public struct ContainerOutcome: Sendable {
    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// Stopped because the scenario's timeout passed.
        case timedOut
    }

    public var pod: String
    public var container: String
    public var ending: Ending
    public var standardOutput: String
    public var standardError: String
    /// When the runtime began creating the pods and when it saw this container end
    /// (CLOCK_REALTIME, ns): with the probe's `started` record, the pod start latency.
    public var createdAt: UInt64?
    public var endedAt: UInt64?
    /// Why a container stopped at the timeout had not ended, where it was not running or
    /// waiting as usual: "stopped by a signal (SIGSTOP, SIGTSTP)".
    public var stall: String?

    public init(pod: String, container: String, ending: Ending, standardOutput: String, standardError: String, createdAt: UInt64? = nil, endedAt: UInt64? = nil) {
        self.pod = pod
        self.container = container
        self.ending = ending
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.createdAt = createdAt
        self.endedAt = endedAt
    }

    /// `pod/container`, as messages name it.
    public var qualifiedName: String { "\(pod)/\(container)" }
}
