/// The parameters both ends of the System V queue pair share, declared once.
public enum SysVQueueParameters {
    public static let key = Parameter.integer("key", 1...Int(Int32.max), default: "0x4d43", "the queue's IPC key, the same for both ends")
    public static let count = Parameter.integer("count", 1...1_000_000, default: "100", "how many random messages the producer sends before 'done'")
    public static let size = Parameter.integer("size", 24...8192, default: "64", "the message payload size in bytes")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the peer", scaling: .waiting)
    public static let all: [any DeclaredParameter] = [key, count, size, wait] + Placement.parameters

    /// A producer and its consumer meet on a key, and agree on the messages' count and size.
    static func pairing(_ side: Pairing.Side) -> Pairing {
        Pairing("sysv", side, meetsOn: [key], agreesOn: [count, size])
    }
}

extension CheckName {
    public static let sysvQueueCreated = CheckName("sysv.queue-created")
    public static let sysvQueueReachable = CheckName("sysv.queue-reachable")
    public static let sysvRoundTrip = CheckName("sysv.round-trip")
    public static let sysvAllConsumed = CheckName("sysv.all-consumed")
    public static let sysvInOrder = CheckName("sysv.in-order")
}

extension MetricName {
    public static let sysvRoundTrip = MetricName("sysv.round-trip")
    /// Producer to consumer, from CLOCK_MONOTONIC stamps taken in two containers.
    public static let sysvOneWay = MetricName("sysv.one-way")
}
