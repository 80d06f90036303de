import PodbenchProbeInterface

/// What a System V message queue takes, read from the kernel: a message larger than
/// kernel.msgmax fails (EINVAL), and one larger than the queue's capacity (msg_qbytes, from
/// kernel.msgmnb) blocks for ever. Both are known before the first send.
enum SysVQueueLimits {
    /// Why `queue` (shown as `keyText`) cannot carry messages of `size` bytes, if it cannot.
    static func refusal(_ queue: Int32, keyText: String, size: Int) -> String? {
        if let text = firstLine(of: "/proc/sys/kernel/msgmax"), let largest = Int(text), size > largest {
            return "queue \(keyText) takes messages of at most \(largest) bytes (kernel.msgmax of this IPC namespace), and these carry \(size): msgsnd would fail with EINVAL"
        }
        var info = msqid_ds()
        if msgctl(queue, IPC_STAT, &info) == 0, Int(info.msg_qbytes) < size {
            return "queue \(keyText) holds at most \(info.msg_qbytes) bytes (its msg_qbytes, from kernel.msgmnb), less than one message of \(size) bytes: msgsnd would block for ever"
        }
        return nil
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
