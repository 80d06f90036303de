/// One result line a probe prints on standard output: a JSON object whose `podbench` key
/// says what it holds. Lines that are not records are the probe's log.
public struct ProbeRecord: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case check, metric, error
        /// The probe is running: `at` is when (CLOCK_REALTIME, ns), for the pod's start time.
        case started
        /// The probe is about to exit: `at` is when. While it ran, its namespaces were alive.
        case finished
    }

    public var podbench: Kind
    /// The check or metric name.
    public var name: String?
    /// A check's outcome.
    public var ok: Bool?
    /// A check that could not be judged here; `message` says why.
    public var skipped: Bool?
    /// A check whose precondition failed (a rendezvous with the peer on another channel):
    /// not judged, and not the channel's failure; `message` says what failed.
    public var inconclusive: Bool?
    /// The evidence behind a check, or an error's text.
    public var message: String?
    /// A metric's unit (nanoseconds for latencies).
    public var unit: String?
    /// A metric's recorded (value, count) pairs, the compact form of an HDR histogram.
    public var values: [[UInt64]]?
    /// A `started` record's time: when the probe's program began; a `finished` record's, when
    /// it ends; a check's, when it was judged (CLOCK_REALTIME ns).
    public var at: UInt64?
    /// A `started` record's namespaces and kernel.
    public var identity: NamespaceIdentity?
    /// Written when the probe's deadline (the scenario's timeout) passed, or was so close that
    /// a peer's own may have caused the failure: the check or error was cut short by podbench's
    /// own time limit, not judged (when the scenario did time out).
    public var deadline: Bool?
    /// Why a metric's samples are not valid (for example clocks that are not one): reports say
    /// so instead of showing numbers.
    public var invalid: String?
    /// A `finished` record's CPUs, from a role that takes part in a measurement between
    /// containers.
    public var cpu: CPUUse?
    /// A check's channel between containers of a pod: what the pod shares for it. The judge
    /// says of a failure whether that sharing was proven (namespace identities), rather than
    /// the probe asking.
    public var through: SharedThrough?
    /// A failed check whose peer never came (no channel, no greeting): the judge looks at how
    /// that peer ended before blaming the channel.
    public var awaited: Bool?

    public static func check(_ name: CheckName, ok: Bool, _ message: String, through: SharedThrough? = nil) -> Self {
        .init(podbench: .check, name: name.text, ok: ok, message: message, through: through)
    }

    public static func skipped(_ name: CheckName, _ reason: String) -> Self {
        .init(podbench: .check, name: name.text, skipped: true, message: reason)
    }

    public static func metric(_ name: MetricName, unit: String, values: [[UInt64]]) -> Self {
        .init(podbench: .metric, name: name.text, unit: unit, values: values)
    }

    public static func inconclusive(_ name: CheckName, _ reason: String) -> Self {
        .init(podbench: .check, name: name.text, inconclusive: true, message: reason)
    }

    public static func started(at time: UInt64, identity: NamespaceIdentity) -> Self {
        .init(podbench: .started, at: time, identity: identity)
    }

    public static func finished(at time: UInt64, cpu: CPUUse? = nil) -> Self {
        .init(podbench: .finished, at: time, cpu: cpu)
    }

    public static func error(_ message: String) -> Self {
        .init(podbench: .error, message: message)
    }
}

/// What containers of a pod share for a channel between them.
public enum SharedThrough: String, Codable, Sendable {
    /// The pod's IPC namespace (System V objects, POSIX queues).
    case ipc
    /// The pod's network namespace (the loopback, abstract Unix sockets).
    case net
    /// The pod's /dev/shm (POSIX shared memory and semaphores), a mount without an identity.
    case devShm = "dev-shm"
    /// A volume of the pod, a mount without an identity.
    case volume
}
