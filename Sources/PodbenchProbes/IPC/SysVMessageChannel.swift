import PodbenchProbeInterface

/// A System V message queue: pings as type 1, pongs as type 2, sent from and received into one
/// buffer (`long mtype`, then the message) in place.
struct SysVMessageChannel: IPCChannel {
    let queue: Int32
    let size: Int
    let buffer: UnsafeMutableRawPointer

    private init(queue: Int32, size: Int) {
        self.queue = queue
        self.size = size
        buffer = .allocate(byteCount: MemoryLayout<Int>.size + size, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<Int>.size + size)
    }

    static func create(key: Int, size: Int) throws(ProbeError) -> Self {
        let queue = msgget(key_t(key), IPC_CREAT | IPC_EXCL | 0o600)
        guard queue >= 0 else { throw systemError("msgget") }
        return Self(queue: queue, size: size)
    }

    static func open(key: Int, size: Int) -> Self? {
        let queue = msgget(key_t(key), 0)
        return queue >= 0 ? Self(queue: queue, size: size) : nil
    }

    var message: UnsafeMutableRawPointer { buffer + MemoryLayout<Int>.size }

    @inline(__always)
    private func send(type: Int) -> Bool {
        buffer.storeBytes(of: type, as: Int.self)
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
