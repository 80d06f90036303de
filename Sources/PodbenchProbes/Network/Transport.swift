import PodbenchProbeInterface

/// How the probes open and address the loopback channels a scenario names.
extension Transport {
    var domain: Int32 {
        switch self {
        case .tcp, .udp: AF_INET
        case .tcp6, .udp6: AF_INET6
        case .abstract, .unix, .unixgram: AF_UNIX
        }
    }

    var isStream: Bool { self != .udp && self != .udp6 && self != .unixgram }
    var isPathBound: Bool { self == .unix || self == .unixgram }
    /// What the pod shares for it on the loopback or a path: a volume, or its network namespace.
    var sharedThrough: SharedThrough { isPathBound ? .volume : .net }

    var socketType: Int32 {
        Int32(isStream ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    }

    /// A new socket of this transport, or nil with errno set.
    func socket() -> Int32? {
        let fd = Glibc.socket(domain, socketType, 0)
        return fd >= 0 ? fd : nil
    }

    /// Where the server is, for messages; a path-bound transport without a path (which
    /// `address(port:path:role:)` refuses) says it has none.
    func endpoint(port: Int, path: String?) -> String {
        switch self {
        case .unix, .unixgram: path ?? "no path (--path not given)"
        case .abstract: "@podbench-\(port)"
        default: "port \(port)"
        }
    }

    /// The address a probe uses: the loopback's `port`, or the socket at `path`, which the
    /// path-bound transports need and which must fit a socket address.
    func address(port: Int, path: String?, role: String) throws(ProbeError) -> SocketAddress {
        guard isPathBound else { return address(port: port) }
        guard let path else { throw .usage("\(role): transport \(rawValue) needs --path") }
        guard path.utf8.count <= 107 else { throw .usage("\(role): --path is longer than a Unix socket address allows (107 bytes)") }
        return address(port: port, path: path)
    }

    /// `port` at `ip`, another pod's address: only TCP and UDP of the address's family reach it.
    func address(port: Int, at ip: IPAddress, role: String) throws(ProbeError) -> SocketAddress {
        guard isInternet, (ip.family == .v6) == (domain == AF_INET6) else {
            throw .usage("\(role): transport \(rawValue) cannot reach the \(ip.family == .v6 ? "IPv6" : "IPv4") address \(ip); use \(ip.family == .v6 ? "tcp6 or udp6" : "tcp or udp")")
        }
        return internetAddress(port: port, bytes: ip.bytes)
    }

    /// `port` on every address of the pod (0.0.0.0 or ::), where other pods reach it.
    func addressOfPod(port: Int, role: String) throws(ProbeError) -> SocketAddress {
        guard isInternet else { throw .usage("\(role): transport \(rawValue) has no pod address; listen on pod takes tcp, udp, tcp6 or udp6") }
        return internetAddress(port: port, bytes: [UInt8](repeating: 0, count: domain == AF_INET6 ? 16 : 4))
    }

    /// TCP or UDP, over IPv4 or IPv6.
    var isInternet: Bool { domain != AF_UNIX }

    private func internetAddress(port: Int, bytes: [UInt8]) -> SocketAddress {
        var address = SocketAddress()
        if domain == AF_INET6 {
            var inet6 = sockaddr_in6()
            inet6.sin6_family = sa_family_t(AF_INET6)
            inet6.sin6_port = UInt16(port).bigEndian
            withUnsafeMutableBytes(of: &inet6.sin6_addr) { $0.copyBytes(from: bytes) }
            address.store(inet6)
        } else {
            var inet = sockaddr_in()
            inet.sin_family = sa_family_t(AF_INET)
            inet.sin_port = UInt16(port).bigEndian
            withUnsafeMutableBytes(of: &inet.sin_addr) { $0.copyBytes(from: bytes) }
            address.store(inet)
        }
        return address
    }

    /// The loopback address of `port`, or the socket at `path`.
    func address(port: Int, path: String = "") -> SocketAddress {
        var address = SocketAddress()
        switch self {
        case .tcp, .udp:
            return internetAddress(port: port, bytes: [127, 0, 0, 1])
        case .tcp6, .udp6:
            return internetAddress(port: port, bytes: [UInt8](repeating: 0, count: 15) + [1])
        case .abstract:
            var unix = sockaddr_un()
            unix.sun_family = sa_family_t(AF_UNIX)
            let name = Array("podbench-\(port)".utf8)
            withUnsafeMutableBytes(of: &unix.sun_path) { path in
                path[0] = 0 // abstract: the name follows a NUL
                for (index, byte) in name.enumerated() { path[index + 1] = byte }
            }
            address.store(unix, length: MemoryLayout<sa_family_t>.size + 1 + name.count)
        case .unix, .unixgram:
            var unix = sockaddr_un()
            unix.sun_family = sa_family_t(AF_UNIX)
            let name = Array(path.utf8.prefix(107))
            withUnsafeMutableBytes(of: &unix.sun_path) { bytes in
                for (index, byte) in name.enumerated() { bytes[index] = byte }
            }
            address.store(unix, length: MemoryLayout<sa_family_t>.size + name.count + 1)
        }
        return address
    }

    /// Whether an error means the pod has no such network (no IPv6 on its loopback).
    static func isUnavailable(_ code: Int32) -> Bool {
        code == EAFNOSUPPORT || code == EADDRNOTAVAIL || code == ENETUNREACH || code == EPROTONOSUPPORT
    }
}

/// A socket address of any family, held by value.
struct SocketAddress {
    private var storage = sockaddr_storage()
    private(set) var length: socklen_t = 0

    mutating func store<T>(_ address: T, length: Int = MemoryLayout<T>.size) {
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: T.self) }
        self.length = socklen_t(length)
    }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafeBytes(of: storage) { body($0.baseAddress!.assumingMemoryBound(to: sockaddr.self), length) }
    }

    func bind(_ fd: Int32) -> Bool {
        withSockaddr { Glibc.bind(fd, $0, $1) } == 0
    }

    func connect(_ fd: Int32) -> Bool {
        withSockaddr { Glibc.connect(fd, $0, $1) } == 0
    }
}

/// Sends all of `count` bytes on a stream socket.
@inline(__always)
func sendAll(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Bool {
    var sent = 0
    while sent < count {
        let n = send(fd, buffer + sent, count - sent, Int32(MSG_NOSIGNAL))
        if n <= 0 { if n < 0 && errno == EINTR { continue }; return false }
        sent += n
    }
    return true
}

/// Receives exactly `count` bytes from a stream socket; false at end of stream or error.
@inline(__always)
func receiveAll(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Bool {
    var received = 0
    while received < count {
        let n = recv(fd, buffer + received, count - received, 0)
        if n <= 0 { if n < 0 && errno == EINTR { continue }; return false }
        received += n
    }
    return true
}

/// Sets a send timeout on a socket, which also bounds a blocking connect (EINPROGRESS).
func setSendTimeout(_ fd: Int32, nanoseconds: UInt64) {
    setTimeout(fd, SO_SNDTIMEO, nanoseconds)
}

/// Sets a receive timeout on a socket.
func setReceiveTimeout(_ fd: Int32, nanoseconds: UInt64) {
    setTimeout(fd, SO_RCVTIMEO, nanoseconds)
}

private func setTimeout(_ fd: Int32, _ option: Int32, _ nanoseconds: UInt64) {
    var timeout = timeval(tv_sec: Int(nanoseconds / 1_000_000_000), tv_usec: Int(nanoseconds % 1_000_000_000 / 1000))
    setsockopt(fd, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
}

func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
    var value = value
    setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
}

import Glibc
