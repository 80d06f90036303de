import PodbenchProbeInterface

/// A System V message buffer, allocated once and reused: `long mtype` followed by the payload
/// `stamp (UInt64) | sequence (UInt32) | kind (UInt32) | text`.
struct SysVMessage: ~Copyable {
    /// Message types, so that one queue carries both directions.
    enum Channel: Int {
        case stream = 1, toConsumer = 2, toProducer = 3
    }

    enum Kind: UInt32 {
        case data = 0, done, hello, ping, pong, stop, bye
        /// The consumer cannot use the queue (a kernel limit): a header alone, which fits.
        case refused
    }

    static let headerSize = 16
    private let raw: UnsafeMutableRawPointer
    let payloadSize: Int

    init(payloadSize: Int) {
        precondition(payloadSize >= Self.headerSize + 8, "payload too small for the header")
        self.payloadSize = payloadSize
        raw = .allocate(byteCount: MemoryLayout<Int>.size + payloadSize, alignment: 16)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<Int>.size + payloadSize)
    }

    deinit {
        raw.deallocate()
    }

    private var payload: UnsafeMutableRawPointer { raw + MemoryLayout<Int>.size }

    var stamp: UInt64 {
        get { payload.load(as: UInt64.self) }
        nonmutating set { payload.storeBytes(of: newValue, as: UInt64.self) }
    }

    var sequence: UInt32 {
        get { payload.load(fromByteOffset: 8, as: UInt32.self) }
        nonmutating set { payload.storeBytes(of: newValue, toByteOffset: 8, as: UInt32.self) }
    }

    var kind: Kind? {
        Kind(rawValue: payload.load(fromByteOffset: 12, as: UInt32.self))
    }

    /// The text after the header, up to its first NUL.
    var text: String {
        let start = payload.advanced(by: Self.headerSize).assumingMemoryBound(to: UInt8.self)
        let bytes = UnsafeBufferPointer(start: start, count: payloadSize - Self.headerSize)
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    func set(_ kind: Kind, text: String = "") {
        payload.storeBytes(of: kind.rawValue, toByteOffset: 12, as: UInt32.self)
        let room = payloadSize - Self.headerSize - 1
        let start = payload.advanced(by: Self.headerSize)
        start.initializeMemory(as: UInt8.self, repeating: 0, count: room + 1)
        var text = text
        text.withUTF8 { bytes in
            if let base = bytes.baseAddress, !bytes.isEmpty {
                start.copyMemory(from: base, byteCount: min(bytes.count, room))
            }
        }
    }

    /// Sends on `channel`; blocks while the queue is full.
    @inline(__always)
    func send(_ queue: Int32, on channel: Channel) -> Bool {
        raw.storeBytes(of: channel.rawValue, as: Int.self)
        while true {
            if msgsnd(queue, raw, payloadSize, 0) == 0 { return true }
            if errno != EINTR { return false }
        }
    }

    /// Sends the header alone (`kind`, no text) without waiting: it fits where the messages do not.
    func sendNotice(_ kind: Kind, _ queue: Int32, on channel: Channel) -> Bool {
        raw.storeBytes(of: channel.rawValue, as: Int.self)
        payload.storeBytes(of: kind.rawValue, toByteOffset: 12, as: UInt32.self)
        return msgsnd(queue, raw, Self.headerSize, IPC_NOWAIT) == 0
    }

    /// Receives from `channel`; with `wait` false returns false at once when nothing is there.
    @inline(__always)
    func receive(_ queue: Int32, on channel: Channel, wait: Bool = true) -> Bool {
        while true {
            if msgrcv(queue, raw, payloadSize, channel.rawValue, wait ? 0 : IPC_NOWAIT) >= 0 { return true }
            if errno != EINTR { return false }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
