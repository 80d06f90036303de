/// The channels, as scenarios name them.
public enum IPCChannelKind: String, CaseIterable, Sendable {
    case sysvMessage = "sysv-msg"
    case posixQueue = "posix-mq"
    case sysvSharedMemory = "sysv-shm"
    case posixSharedMemory = "posix-shm"

    public static let parameter = Parameter<IPCChannelKind>.choice("channel", default: .posixQueue, "sysv-msg (a System V queue), posix-mq (two POSIX queues), sysv-shm (System V shared memory and semaphores) or posix-shm (/dev/shm and named POSIX semaphores)")
    public static let key = Parameter.integer("key", 1...Int(Int32.max), default: "0x5042", "the IPC key; POSIX objects are named /podbench-KEY...")
    public static let size = Parameter.integer("size", 16...8192, default: "64", "the message size in bytes")

    /// An ipc-server and its clients meet on a channel and key, with messages of one size.
    static func pairing(_ side: Pairing.Side) -> Pairing {
        Pairing("ipc", side, meetsOn: [parameter, key], agreesOn: [size])
    }

    /// The client found the server's channel.
    public var reachable: CheckName { CheckName("\(rawValue).reachable") }
    /// The client found no channel, as expected of another pod.
    public var isolated: CheckName { CheckName("\(rawValue).isolated") }
    /// Every round trip was answered, in order.
    public var roundTrip: CheckName { CheckName("\(rawValue).round-trip") }
    /// The server answered until the client said stop.
    public var served: CheckName { CheckName("\(rawValue).served") }

    /// What the pod shares for it: its IPC namespace, or /dev/shm for POSIX shared memory and
    /// semaphores.
    public var sharedThrough: SharedThrough { self == .posixSharedMemory ? .devShm : .ipc }

    /// The name of the POSIX shared memory the probes make for `key` (`/podbench-KEY`); the
    /// host runtime removes what a killed probe left by these names.
    public static func posixName(_ key: Int) -> String {
        "/podbench-\(String(key, radix: 16))"
    }

    /// The POSIX shared memory where a server that could not make its channel for `key`
    /// leaves why, for its clients to stop waiting (`/podbench-KEY-failed`).
    public static func failureName(_ key: Int) -> String {
        posixName(key) + "-failed"
    }

    /// The names of a pair of POSIX queues or semaphores for `key`, one each way.
    public static func posixPair(_ key: Int) -> (ping: String, pong: String) {
        (posixName(key) + "-ping", posixName(key) + "-pong")
    }

    /// The round trip's latency for messages of `size` bytes (the scenarios time 64-byte and
    /// 4-KiB messages side by side).
    public func roundTripMetric(size: String) -> MetricName { MetricName("\(rawValue).round-trip-\(size)B") }
}
