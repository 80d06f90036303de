import CPodbench

/// A ping-pong channel between two containers through the pod's IPC namespace (or, for POSIX
/// shared memory and semaphores, its /dev/shm). The server creates the channel's objects, the
/// client opens them by name or key; the client pings, the server pongs.
protocol IPCChannel {
    /// The server's end: creates the objects, failing if they exist.
    static func create(key: Int, size: Int) throws(ProbeError) -> Self
    /// The client's end, or nil while the objects are not there (or are too small).
    static func open(key: Int, size: Int) -> Self?
    /// The `size` bytes that pings and pongs carry, written and read in place: a queue's
    /// message buffer, or the shared memory slot itself, so no copy enters a round trip.
    var message: UnsafeMutableRawPointer { get }
    /// Client to server; blocks while the channel is full.
    func ping() -> Bool
    /// Server: the next ping; with `wait` false, returns false at once when there is none.
    func receivePing(wait: Bool) -> Bool
    /// Server to client.
    func pong() -> Bool
    /// Client: the next pong.
    func receivePong() -> Bool
    /// Detaches this end.
    func close()
    /// Server: removes the objects.
    func remove()
}

/// The channels, as scenarios name them.
enum IPCChannelKind: String, CaseIterable, Sendable {
    case sysvMessage = "sysv-msg"
    case posixQueue = "posix-mq"
    case sysvSharedMemory = "sysv-shm"
    case posixSharedMemory = "posix-shm"

    static let parameter = Parameter<IPCChannelKind>.choice("channel", default: .posixQueue, "sysv-msg (a System V queue), posix-mq (two POSIX queues), sysv-shm (System V shared memory and semaphores) or posix-shm (/dev/shm and named POSIX semaphores)")
    static let key = Parameter.integer("key", 1...Int(Int32.max), default: "0x5042", "the IPC key; POSIX objects are named /podbench-KEY...")
    static let size = Parameter.integer("size", 16...8192, default: "64", "the message size in bytes")

    /// The client found the server's channel.
    var reachable: CheckName { CheckName("\(rawValue).reachable") }
    /// The client found no channel, as expected of another pod.
    var isolated: CheckName { CheckName("\(rawValue).isolated") }
    /// Every round trip was answered, in order.
    var roundTrip: CheckName { CheckName("\(rawValue).round-trip") }
    /// The server answered until the client said stop.
    var served: CheckName { CheckName("\(rawValue).served") }

    /// The round trip's latency for messages of `size` bytes (the scenarios time 64-byte and
    /// 4-KiB messages side by side).
    func roundTripMetric(size: String) -> MetricName { MetricName("\(rawValue).round-trip-\(size)B") }

    var type: any IPCChannel.Type {
        switch self {
        case .sysvMessage: SysVMessageChannel.self
        case .posixQueue: POSIXQueueChannel.self
        case .sysvSharedMemory: SysVSharedMemoryChannel.self
        case .posixSharedMemory: POSIXSharedMemoryChannel.self
        }
    }
}

/// What the first eight bytes of a message say.
enum IPCMessageKind: UInt64 {
    case hello = 1, ping, stop
}

func posixName(_ key: Int, _ suffix: String = "") -> String {
    "/podbench-\(String(key, radix: 16))\(suffix)"
}

func systemError(_ what: String) -> ProbeError {
    .system(what, errno: errno)
}

import Glibc
