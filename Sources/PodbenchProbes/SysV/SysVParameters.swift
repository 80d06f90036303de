/// Parameters both ends of the System V queue pair share.
enum SysVParameters {
    static let key = ParameterSpec("key", .integer(1...Int(Int32.max)), default: "0x4d43", "the queue's IPC key, the same for both ends")
    static let count = ParameterSpec("count", .integer(1...1_000_000), default: "100", "how many random messages the producer sends before 'done'")
    static let size = ParameterSpec("size", .integer(24...8192), default: "64", "the message payload size in bytes")
    static let wait = ParameterSpec("wait", .duration, default: "20s", "how long to wait for the peer")

    static func keyText(_ key: Int) -> String {
        "0x" + String(key, radix: 16)
    }
}
