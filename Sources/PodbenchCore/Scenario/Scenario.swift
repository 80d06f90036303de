import PodbenchProbeInterface

/// A scenario: one or more pods, the probes their containers run, and the checks that must hold.
public struct Scenario: Sendable {
    /// A DNS label, unique among the scenarios.
    public var name: String
    public var description: String
    public var tags: [String]
    /// How long (ns) the pods may run: each probe stops itself then, and what it had not reported
    /// fails.
    public var timeout: UInt64
    public var pods: [PodSpec]
    public var expectations: [Expectation]
    /// How much worse a metric may get before the regression gate looks at it (0.25 is 25%);
    /// nil for the default.
    public var regressionTolerance: Double?
    /// The file the scenario was loaded from.
    public var file: String

    public init(name: String, description: String, tags: [String], timeout: UInt64, pods: [PodSpec], expectations: [Expectation], file: String) {
        self.name = name
        self.description = description
        self.tags = tags
        self.timeout = timeout
        self.pods = pods
        self.expectations = expectations
        self.file = file
    }

    /// The level a check is held to: its expectation's; else MUST for the namespace checks
    /// podbench judges in every scenario, INFO for the rest.
    public func level(of check: String) -> Level {
        expectations.first { $0.check == check }?.level ?? (Judge.namespaceCheckNames.contains(check) ? .must : .info)
    }
}

/// A pod: a subset of a Kubernetes PodSpec, with the same field names.
public struct PodSpec: Sendable {
    public var name: String
    public var restartPolicy: String
    /// Whether the containers share one PID namespace (else each has its own).
    public var shareProcessNamespace: Bool
    /// The pod's annotations (Kubernetes' `metadata.annotations`), for the runtime: gVisor's
    /// mount hints (`dev.gvisor.spec.mount.VOLUME.share`) are some. In the file's order.
    public var annotations: [(key: String, value: String)]
    public var volumes: [Volume]
    public var containers: [ContainerSpec]

    public init(name: String, restartPolicy: String = "Never", shareProcessNamespace: Bool = false, annotations: [(key: String, value: String)] = [], volumes: [Volume], containers: [ContainerSpec]) {
        self.name = name
        self.restartPolicy = restartPolicy
        self.shareProcessNamespace = shareProcessNamespace
        self.annotations = annotations
        self.volumes = volumes
        self.containers = containers
    }
}

/// A pod volume; only emptyDir for now.
public struct Volume: Sendable {
    public enum Medium: String, Sendable {
        /// The node's disk (`emptyDir: {}`).
        case disk = ""
        /// tmpfs (`emptyDir: {medium: Memory}`).
        case memory = "Memory"
    }

    public var name: String
    public var medium: Medium

    public init(name: String, medium: Medium) {
        self.name = name
        self.medium = medium
    }
}

/// A container: a probe role, its arguments and its volume mounts.
public struct ContainerSpec: Sendable {
    public var name: String
    /// The probe role (see `ProbeCatalog`).
    public var probe: String
    /// The role's arguments in the order written.
    public var args: [(name: String, value: String)]
    public var volumeMounts: [VolumeMount]
    /// Linux capabilities the probe needs beyond PodSecurity "restricted" (`NET_RAW`).
    public var addedCapabilities: [String] = []

    public init(name: String, probe: String, args: [(name: String, value: String)], volumeMounts: [VolumeMount]) {
        self.name = name
        self.probe = probe
        self.args = args
        self.volumeMounts = volumeMounts
    }

    /// The probe's command line after the executable: the role, then `--name value` pairs.
    public var probeArguments: [String] {
        [probe] + args.flatMap { ["--" + $0.name, $0.value] }
    }

    /// The value of one of its role's parameters: as given, else the parameter's default.
    public func value(of parameter: ParameterSpec) -> String? {
        args.first { $0.name == parameter.name }?.value ?? parameter.defaultValue
    }

    /// Its scenario expects it not to reach its peers (`expect: isolated`, two pods).
    public var expectsIsolation: Bool {
        value(of: Sharing.parameter.spec) == Sharing.isolated.rawValue
    }
}

public struct VolumeMount: Sendable {
    public var name: String
    public var mountPath: String
    public var readOnly: Bool

    public init(name: String, mountPath: String, readOnly: Bool = false) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
    }
}

/// A check the scenario holds to a conformance level.
public struct Expectation: Sendable {
    public var check: String
    public var level: Level

    public init(check: String, level: Level) {
        self.check = check
        self.level = level
    }
}

/// Conformance levels.
public enum Level: String, Sendable, CaseIterable, Codable {
    /// Kubernetes guarantees it: a failure fails the run.
    case must = "MUST"
    /// Common runtimes do it: a failure is reported as a warning.
    case should = "SHOULD"
    /// Measured only.
    case info = "INFO"
}

extension Scenario {
    /// The probes' `--deadline`: the timeout in whole seconds, rounded up (a probe's alarm
    /// counts seconds), at least 1.
    public var deadlineSeconds: UInt64 {
        max(1, timeout / 1_000_000_000 + (timeout % 1_000_000_000 == 0 ? 0 : 1))
    }
}

extension Scenario {
    /// The scenario with `change` made to each container of each pod, in order.
    func changingContainers(_ change: (inout ContainerSpec) -> Void) -> Scenario {
        var changed = self
        for podIndex in changed.pods.indices {
            for containerIndex in changed.pods[podIndex].containers.indices {
                change(&changed.pods[podIndex].containers[containerIndex])
            }
        }
        return changed
    }
}
