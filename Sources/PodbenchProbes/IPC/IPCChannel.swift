import PodbenchProbeInterface
import CPodbench

/// A ping-pong channel between two containers through the pod's IPC namespace (or, for POSIX
/// shared memory and semaphores, its /dev/shm). The server creates the channel's objects, the
/// client opens them by name or key; the client pings, the server pongs.
protocol IPCChannel {
    /// The server's end: creates the objects, failing if they exist.
    static func create(key: Int, size: Int) throws(ProbeError) -> Self
    /// The client's end; absent while the objects are not there (yet).
    static func open(key: Int, size: Int) -> Opening<Self>
    /// Server: why the channel it made cannot carry its messages (a kernel limit), if it
    /// cannot: said at once instead of a send that blocks or fails later.
    func refusal() -> String?
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
    /// The calls that carry a message (`mq_timedsend`, `mq_timedreceive`), named when they fail.
    static var sendCall: String { get }
    static var receiveCall: String { get }
    /// Why a send or a receive failed, from the errno it left.
    static func failure(sending: Bool, _ code: Int32) -> String
}

/// What a client found where the server's channel should be.
enum Opening<Channel> {
    case opened(Channel)
    /// Not there (ENOENT, or not made whole yet): the call that said so. A client waits on
    /// it; for another pod it is the proof of absence.
    case absent(String)
    /// Not for this container: the call and its errno (EACCES, ENOSYS...) or the limit that
    /// refuses its messages. Never waited on, and never taken for absence; `exists` when the
    /// refusal proves the objects are there (a denial, a limit of the object found).
    case refused(String, exists: Bool)

    /// `call` failed with `code`: absent for ENOENT, else refused.
    static func failed(_ call: String, _ code: Int32) -> Self {
        code == ENOENT ? .absent("\(call): \(errnoText(code))") : .refused("\(call) failed: \(errnoText(code))", exists: code == EACCES || code == EPERM)
    }
}

extension IPCChannel {
    func refusal() -> String? { nil }

    static func failure(sending: Bool, _ code: Int32) -> String {
        "\(sending ? sendCall : receiveCall) failed: \(errnoText(code))"
    }

    /// Whether a receive that does not wait failed only because there was nothing yet.
    static func isNothingYet(_ code: Int32) -> Bool {
        code == EAGAIN || code == ETIMEDOUT || code == ENOMSG || code == EINTR
    }
}

extension IPCChannelKind {
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

/// A System V IPC key as `ipcs` shows it (`0x4d43`).
func ipcKey(_ key: Int) -> String {
    "0x" + String(key, radix: 16)
}

func systemError(_ what: String) -> ProbeError {
    .system(what, errno: errno)
}

import Glibc
