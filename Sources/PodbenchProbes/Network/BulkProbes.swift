import PodbenchProbeInterface

/// Receives a bulk stream over a stream transport and acknowledges how many bytes came.
public struct BulkReceiverProbe: Probe {
    public static let spec = BulkReceiverRole.spec

    let transport: Transport
    let port: Int
    let path: String?
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        transport = arguments[BulkTransport.parameter].transport
        port = arguments[Transport.port]
        path = arguments[Transport.path]
        wait = arguments[BulkReceiverRole.wait]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let address = try transport.address(port: port, path: path, role: "bulk-receiver")
        if transport.isInternet, let down = Loopback.down() { return output.check(.bulkReceived, ok: false, down) }
        guard let fd = transport.socket() else {
            if Transport.isUnavailable(errno) { return output.skip(.bulkReceived, "the pod has no \(transport.rawValue) loopback") }
            throw .system("socket", errno: errno)
        }
        defer { close(fd) }
        setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if transport.isPathBound, let path { unlink(path) }
        defer { if transport.isPathBound, let path { unlink(path) } }
        guard address.bind(fd), listen(fd, 4) == 0 else {
            if Transport.isUnavailable(errno) { return output.skip(.bulkReceived, "the pod has no \(transport.rawValue) loopback: \(errnoText(errno))") }
            throw .system("bind \(transport.endpoint(port: port, path: path))", errno: errno)
        }
        var pollfd = Glibc.pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pollfd, 1, Int32(min(wait / 1_000_000, UInt64(Int32.max)))) == 1 else {
            return output.check(.bulkReceived, ok: false, "no sender connected within \(DurationText.format(nanoseconds: Double(wait)))", through: transport.sharedThrough, awaited: true)
        }
        let connection = accept(fd, nil, nil)
        guard connection >= 0 else { throw .system("accept", errno: errno) }
        defer { close(connection) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 18, alignment: 16)
        defer { buffer.deallocate() }
        var total: UInt64 = 0
        while true {
            let n = recv(connection, buffer, 1 << 18, 0)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            total += UInt64(n)
        }
        buffer.storeBytes(of: total, as: UInt64.self)
        _ = sendAll(connection, buffer, 8)
        output.check(.bulkReceived, ok: total > 0, "received \(total) bytes")
    }
}

/// Sends a bulk stream to the receiver and measures the throughput, from the first byte sent
/// to the receiver's acknowledgement of the last.
public struct BulkSenderProbe: Probe {
    public static let spec = BulkSenderRole.spec

    let transport: Transport
    let port: Int
    let path: String?
    let bytes: Int
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        transport = arguments[BulkTransport.parameter].transport
        port = arguments[Transport.port]
        path = arguments[Transport.path]
        bytes = arguments[BulkSenderRole.bytes]
        wait = arguments[BulkSenderRole.wait]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let address = try transport.address(port: port, path: path, role: "bulk-sender")
        if transport.isInternet, let down = Loopback.down() { return output.check(.bulkThroughput, ok: false, down) }
        var unavailable: String?
        let connected = waitFor(timeout: wait, every: 5_000_000) { () -> Int32? in
            guard let fd = transport.socket() else {
                if Transport.isUnavailable(errno) { unavailable = errnoText(errno); return -1 }
                return nil
            }
            setSendTimeout(fd, nanoseconds: EchoClientProbe.attempt)
            if address.connect(fd) {
                setSendTimeout(fd, nanoseconds: EchoClientProbe.stall)
                return fd
            }
            if Transport.isUnavailable(errno) { unavailable = errnoText(errno) }
            close(fd)
            return unavailable == nil ? nil : -1
        }
        if let unavailable {
            return output.skip(.bulkThroughput, "the pod has no \(transport.rawValue) loopback: \(unavailable)")
        }
        guard let fd = connected, fd >= 0 else {
            return output.check(.bulkThroughput, ok: false, "no receiver at \(transport.endpoint(port: port, path: path)) within \(DurationText.format(nanoseconds: Double(wait)))", through: transport.sharedThrough, awaited: true)
        }
        defer { close(fd) }
        let chunk = 1 << 18
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0xa5, count: chunk)
        let start = monotonicNanoseconds()
        var sent = 0
        while sent < bytes {
            guard sendAll(fd, buffer, min(chunk, bytes - sent)) else { break }
            sent += min(chunk, bytes - sent)
        }
        shutdown(fd, Int32(SHUT_WR))
        let acknowledged = receiveAll(fd, buffer, 8) ? buffer.load(as: UInt64.self) : 0
        let elapsed = Double(monotonicNanoseconds() &- start)
        let rate = Double(acknowledged) / 1e6 / max(elapsed / 1e9, 1e-9)
        let ok = acknowledged == UInt64(bytes)
        output.check(.bulkThroughput, ok: ok, "\(acknowledged) of \(bytes) bytes acknowledged in \(DurationText.format(nanoseconds: elapsed)): \(Int(rate)) MB/s over \(transport.rawValue)")
        if ok { output.emit(.metric(.bulkThroughput, unit: "MB/s", values: [[UInt64(rate.rounded()), 1]])) }
    }
}

extension BulkTransport {
    /// The transport of the same name.
    var transport: Transport {
        switch self {
        case .tcp: .tcp
        case .tcp6: .tcp6
        case .abstract: .abstract
        case .unix: .unix
        }
    }
}

import Glibc
