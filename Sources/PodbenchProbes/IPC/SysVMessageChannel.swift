import PodbenchProbeInterface

/// A System V message queue: pings as type 1, pongs as type 2, sent from and received into one
/// buffer (`long mtype`, then the message) in place.
struct SysVMessageChannel: IPCChannel {
    let queue: Int32
    let key: Int
    let size: Int
    let buffer: UnsafeMutableRawPointer

    private init(queue: Int32, key: Int, size: Int) {
        self.queue = queue
        self.key = key
        self.size = size
        buffer = .allocate(byteCount: MemoryLayout<Int>.size + size, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<Int>.size + size)
    }

    static func create(key: Int, size: Int) throws(ProbeError) -> Self {
        let queue = msgget(key_t(key), IPC_CREAT | IPC_EXCL | 0o600)
        guard queue >= 0 else { throw systemError("msgget") }
        return Self(queue: queue, key: key, size: size)
    }

    static func open(key: Int, size: Int) -> Opening<Self> {
        // Asking for read and write checks them now (EACCES), not at the first send.
        let queue = msgget(key_t(key), 0o600)
        guard queue >= 0 else { return .failed("msgget(key \(ipcKey(key)))", errno) }
        if let refusal = SysVQueueLimits.refusal(queue, keyText: "key " + ipcKey(key), size: size) { return .refused(refusal, exists: true) }
        return .opened(Self(queue: queue, key: key, size: size))
    }

    func refusal() -> String? {
        SysVQueueLimits.refusal(queue, keyText: "key " + ipcKey(key), size: size)
    }

    var message: UnsafeMutableRawPointer { buffer + MemoryLayout<Int>.size }

    @inline(__always)
    private func send(type: Int) -> Bool {
        buffer.storeBytes(of: type, as: Int.self)
        // The capacity was checked at open: a message always fits, once the other side reads.
        while msgsnd(queue, buffer, size, 0) != 0 { if errno != EINTR { return false } }
        return true
    }

    @inline(__always)
    private func receive(type: Int, wait: Bool) -> Bool {
        while msgrcv(queue, buffer, size, type, wait ? 0 : IPC_NOWAIT) < 0 { if errno != EINTR { return false } }
        return true
    }

    static let sendCall = "msgsnd"
    static let receiveCall = "msgrcv"

    func ping() -> Bool { send(type: 1) }
    func receivePing(wait: Bool) -> Bool { receive(type: 1, wait: wait) }
    func pong() -> Bool { send(type: 2) }
    func receivePong() -> Bool { receive(type: 2, wait: true) }
    func close() { buffer.deallocate() }
    func remove() { msgctl(queue, IPC_RMID, nil) }
}

import Glibc
