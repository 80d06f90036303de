/// The parameters both ends of the System V queue pair share, declared and read once.
struct SysVQueueParameters {
    static let key = Parameter.integer("key", 1...Int(Int32.max), default: "0x4d43", "the queue's IPC key, the same for both ends")
    static let count = Parameter.integer("count", 1...1_000_000, default: "100", "how many random messages the producer sends before 'done'")
    static let size = Parameter.integer("size", 24...8192, default: "64", "the message payload size in bytes")
    static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the peer", scaling: .waiting)
    static let all: [any DeclaredParameter] = [key, count, size, wait]

    let key: Int
    let count: Int
    let size: Int
    let wait: UInt64

    init(_ arguments: ProbeArguments) {
        key = arguments[Self.key]
        count = arguments[Self.count]
        size = arguments[Self.size]
        wait = arguments[Self.wait]
    }

    /// The key as `ipcs` shows it.
    var keyText: String {
        "0x" + String(key, radix: 16)
    }
}

extension CheckName {
    static let sysvQueueCreated = CheckName("sysv.queue-created")
    static let sysvQueueReachable = CheckName("sysv.queue-reachable")
    static let sysvRoundTrip = CheckName("sysv.round-trip")
    static let sysvAllConsumed = CheckName("sysv.all-consumed")
    static let sysvInOrder = CheckName("sysv.in-order")
}

extension MetricName {
    static let sysvRoundTrip = MetricName("sysv.round-trip")
    /// Producer to consumer, from CLOCK_MONOTONIC stamps taken in two containers.
    static let sysvOneWay = MetricName("sysv.one-way")
}
