/// Receives a bulk stream over a stream transport and acknowledges how many bytes came.
public struct BulkReceiverProbe: Probe {
    static let transport = ParameterSpec("transport", .choice(["tcp", "tcp6", "abstract", "unix"]), default: "tcp", "a stream transport: tcp, tcp6, abstract or unix (at path)")

    public static let spec = ProbeSpec(
        role: "bulk-receiver",
        summary: "Drains a bulk stream (TCP, abstract or Unix socket) and acknowledges the byte count.",
        parameters: [transport, Transport.port, Transport.path,
                     ParameterSpec("wait", .duration, default: "20s", "how long to wait for the sender")],
        checks: ["bulk.received"],
        metrics: []
    )

    let transport: Transport
    let port: Int
    let path: String
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        transport = Transport(rawValue: arguments.string("transport"))!
        port = arguments.integer("port")
        path = arguments.string("path")
        wait = arguments.nanoseconds("wait")
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let address = try transport.address(port: port, path: path, role: "bulk-receiver")
        guard let fd = transport.socket() else {
            if Transport.isUnavailable(errno) { return output.skip("bulk.received", "the pod has no \(transport.rawValue) loopback") }
            throw .system("socket", errno: errno)
        }
        defer { close(fd) }
        setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        if transport.isPathBound { unlink(path) }
        defer { if transport.isPathBound { unlink(path) } }
        guard address.bind(fd), listen(fd, 4) == 0 else {
            if Transport.isUnavailable(errno) { return output.skip("bulk.received", "the pod has no \(transport.rawValue) loopback: \(String(cString: strerror(errno)))") }
            throw .system("bind \(transport.endpoint(port: port, path: path))", errno: errno)
        }
        var pollfd = Glibc.pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pollfd, 1, Int32(min(wait / 1_000_000, UInt64(Int32.max)))) == 1 else {
            return output.check("bulk.received", ok: false, "no sender connected within \(DurationText.format(nanoseconds: Double(wait)))")
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
        output.check("bulk.received", ok: total > 0, "received \(total) bytes")
    }
}

/// Sends a bulk stream to the receiver and measures the throughput, from the first byte sent
/// to the receiver's acknowledgement of the last.
public struct BulkSenderProbe: Probe {
    public static let spec = ProbeSpec(
        role: "bulk-sender",
        summary: "Sends a bulk stream to the receiver and measures MB/s up to its acknowledgement.",
        parameters: [BulkReceiverProbe.transport, Transport.port, Transport.path,
                     ParameterSpec("bytes", .integer(1...(1 << 40)), default: "268435456", "how many bytes to send"),
                     ParameterSpec("wait", .duration, default: "20s", "how long to wait for the receiver")],
        checks: ["bulk.throughput"],
        metrics: ["bulk.throughput"]
    )

    let transport: Transport
    let port: Int
    let path: String
    let bytes: Int
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        transport = Transport(rawValue: arguments.string("transport"))!
        port = arguments.integer("port")
        path = arguments.string("path")
        bytes = arguments.integer("bytes")
        wait = arguments.nanoseconds("wait")
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let address = try transport.address(port: port, path: path, role: "bulk-sender")
        var unavailable: String?
        let connected = waitFor(timeout: wait, every: 5_000_000) { () -> Int32? in
            guard let fd = transport.socket() else {
                if Transport.isUnavailable(errno) { unavailable = String(cString: strerror(errno)); return -1 }
                return nil
            }
            if address.connect(fd) { return fd }
            if Transport.isUnavailable(errno) { unavailable = String(cString: strerror(errno)) }
            close(fd)
            return unavailable == nil ? nil : -1
        }
        if let unavailable {
            return output.skip("bulk.throughput", "the pod has no \(transport.rawValue) loopback: \(unavailable)")
        }
        guard let fd = connected, fd >= 0 else {
            return output.check("bulk.throughput", ok: false, "no receiver at \(transport.endpoint(port: port, path: path)) within \(DurationText.format(nanoseconds: Double(wait)))")
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
        output.check("bulk.throughput", ok: ok, "\(acknowledged) of \(bytes) bytes acknowledged in \(DurationText.format(nanoseconds: elapsed)): \(Int(rate)) MB/s over \(transport.rawValue)")
        if ok { output.emit(.metric("bulk.throughput", unit: "MB/s", values: [[UInt64(rate.rounded()), 1]])) }
    }
}

import Glibc
