/// A System V message queue: pings as type 1, pongs as type 2.
struct SysVMessageChannel: IPCChannel {
    let queue: Int32
    let size: Int
    /// `long mtype` and the message, allocated once.
    let buffer: UnsafeMutableRawPointer

    private init(queue: Int32, size: Int) {
        self.queue = queue
        self.size = size
        buffer = .allocate(byteCount: MemoryLayout<Int>.size + size, alignment: 16)
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

    @inline(__always)
    private func send(_ message: UnsafeMutableRawPointer, type: Int) -> Bool {
        buffer.storeBytes(of: type, as: Int.self)
        (buffer + MemoryLayout<Int>.size).copyMemory(from: message, byteCount: size)
        while msgsnd(queue, buffer, size, 0) != 0 { if errno != EINTR { return false } }
        return true
    }

    @inline(__always)
    private func receive(_ message: UnsafeMutableRawPointer, type: Int, wait: Bool) -> Bool {
        while msgrcv(queue, buffer, size, type, wait ? 0 : IPC_NOWAIT) < 0 { if errno != EINTR { return false } }
        message.copyMemory(from: buffer + MemoryLayout<Int>.size, byteCount: size)
        return true
    }

    func ping(_ message: UnsafeMutableRawPointer) -> Bool { send(message, type: 1) }
    func receivePing(_ message: UnsafeMutableRawPointer, wait: Bool) -> Bool { receive(message, type: 1, wait: wait) }
    func pong(_ message: UnsafeMutableRawPointer) -> Bool { send(message, type: 2) }
    func receivePong(_ message: UnsafeMutableRawPointer) -> Bool { receive(message, type: 2, wait: true) }
    func close() { buffer.deallocate() }
    func remove() { msgctl(queue, IPC_RMID, nil) }
}

import Glibc
