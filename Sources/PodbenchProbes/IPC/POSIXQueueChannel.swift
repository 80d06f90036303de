import PodbenchProbeInterface
import CPodbench

/// Two POSIX message queues, `/podbench-KEY-ping` and `/podbench-KEY-pong`.
struct POSIXQueueChannel: IPCChannel {
    let pings: mqd_t
    let pongs: mqd_t
    let key: Int
    let size: Int
    let message: UnsafeMutableRawPointer

    private init(pings: mqd_t, pongs: mqd_t, key: Int, size: Int) {
        self.pings = pings
        self.pongs = pongs
        self.key = key
        self.size = size
        message = .allocate(byteCount: size, alignment: 16)
        message.initializeMemory(as: UInt8.self, repeating: 0, count: size)
    }

    static func create(key: Int, size: Int) throws(ProbeError) -> Self {
        let names = IPCChannelKind.posixPair(key)
        let pings = podbench_mq_open(names.ping, O_RDWR, 1, Self.depth, size)
        guard pings >= 0 else { throw creationError(names.ping, size: size) }
        let pongs = podbench_mq_open(names.pong, O_RDWR, 1, Self.depth, size)
        guard pongs >= 0 else {
            let error = creationError(names.pong, size: size)
            mq_close(pings)
            mq_unlink(names.ping)
            throw error
        }
        return Self(pings: pings, pongs: pongs, key: key, size: size)
    }

    static func open(key: Int, size: Int) -> Opening<Self> {
        let names = IPCChannelKind.posixPair(key)
        let pings = podbench_mq_open(names.ping, O_RDWR, 0, 0, 0)
        guard pings >= 0 else { return .failed("mq_open \(names.ping)", errno) }
        let pongs = podbench_mq_open(names.pong, O_RDWR, 0, 0, 0)
        guard pongs >= 0 else {
            let code = errno
            mq_close(pings)
            return .failed("mq_open \(names.pong)", code)
        }
        return .opened(Self(pings: pings, pongs: pongs, key: key, size: size))
    }

    /// Messages a queue holds.
    static let depth = 8

    /// mq_open's failure to make a queue, with the limits of this IPC namespace that refuse it.
    private static func creationError(_ name: String, size: Int) -> ProbeError {
        let code = errno
        let limit = { (name: String) in firstLine(of: "/proc/sys/fs/mqueue/\(name)") ?? "unknown" }
        let limits = switch code {
        case EINVAL: " (fs.mqueue.msg_max is \(limit("msg_max")) and msgsize_max \(limit("msgsize_max")) here; this queue needs \(depth) messages of \(size) bytes)"
        case EMFILE, ENOSPC: " (fs.mqueue.queues_max is \(limit("queues_max")) here)"
        default: ""
        }
        return .failed("mq_open \(name) with room for \(depth) messages of \(size) bytes: \(errnoText(code))\(limits)")
    }

    @inline(__always)
    private func send(_ queue: mqd_t) -> Bool {
        while mq_send(queue, message.assumingMemoryBound(to: CChar.self), size, 0) != 0 { if errno != EINTR { return false } }
        return true
    }

    @inline(__always)
    private func receive(_ queue: mqd_t, wait: Bool) -> Bool {
        let text = message.assumingMemoryBound(to: CChar.self)
        if !wait {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return mq_timedreceive(queue, text, size, nil, &now) == size
        }
        while true {
            let n = mq_receive(queue, text, size, nil)
            if n >= 0 { return n == size }
            if errno != EINTR { return false }
        }
    }

    static let sendCall = "mq_timedsend"
    static let receiveCall = "mq_timedreceive"

    func ping() -> Bool { send(pings) }
    func receivePing(wait: Bool) -> Bool { receive(pings, wait: wait) }
    func pong() -> Bool { send(pongs) }
    func receivePong() -> Bool { receive(pongs, wait: true) }

    func close() {
        mq_close(pings)
        mq_close(pongs)
        message.deallocate()
    }

    func remove() {
        let names = IPCChannelKind.posixPair(key)
        mq_unlink(names.ping)
        mq_unlink(names.pong)
    }
}

import Glibc
