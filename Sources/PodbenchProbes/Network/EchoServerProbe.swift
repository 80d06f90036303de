import PodbenchProbeInterface

/// Echoes what a client sends over a loopback channel of the pod's network namespace, or
/// (`listen: pod`) on every address of the pod, for clients in other pods.
///
/// Stream transports: accepts connections one after another; connections that carry no data
/// are the client's connect-latency probes; the first connection that carries data is the
/// ping-pong, and the server ends when it closes. Datagram transports: echoes each datagram
/// until a one-byte stop datagram.
public struct EchoServerProbe: Probe {
    public static let spec = EchoServerRole.spec

    let transport: Transport
    let port: Int
    let path: String?
    let scope: ListenScope
    let sharing: Sharing
    let size: Int
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        transport = arguments[Transport.parameter]
        port = arguments[Transport.port]
        path = arguments[Transport.path]
        scope = arguments[EchoServerRole.listen]
        sharing = arguments[Sharing.parameter]
        size = arguments[EchoServerRole.size]
        wait = arguments[EchoServerRole.wait]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let check = transport.served
        if scope == .loopback, transport.isInternet, let down = Loopback.down() {
            return sharing == .shared ? output.check(check, ok: false, down) : output.inconclusive(check, "not judged: \(down), from any pod")
        }
        guard let fd = transport.socket() else {
            if Transport.isUnavailable(errno) { return output.skip(check, "the pod has no \(transport.rawValue) loopback") }
            throw .system("socket", errno: errno)
        }
        defer { close(fd) }
        if transport.isStream { setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1) }
        let address = scope == .pod
            ? try transport.addressOfPod(port: port, role: "echo-server")
            : try transport.address(port: port, path: path, role: "echo-server")
        if transport.isPathBound, let path { unlink(path) }
        defer { if transport.isPathBound, let path { unlink(path) } }
        let bound = waitFor(timeout: wait) { address.bind(fd) ? true : (errno == EADDRINUSE ? nil : false) }
        guard bound == true else {
            if Transport.isUnavailable(errno) { return output.skip(check, "the pod has no \(transport.rawValue) loopback: \(errnoText(errno))") }
            return output.check(check, ok: false, "bind \(transport.rawValue) \(transport.endpoint(port: port, path: path)): \(errnoText(errno))")
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: 16)
        defer { buffer.deallocate() }
        let waiting = monotonicNanoseconds()
        let echoed = transport.isStream ? serveStream(fd, buffer) : serveDatagrams(fd, buffer)
        let served = echoed.map { "echoed \($0) messages of \(size) bytes" } ?? "no client came " + Release.waited(since: waiting, upTo: wait)
        switch sharing {
        case .shared: output.check(check, ok: (echoed ?? 0) > 0, served, through: transport.sharedThrough, awaited: echoed == nil)
        case .isolated: output.check(check, ok: echoed == nil, served + (echoed == nil ? ", as expected of another pod" : ", though it is in another pod"))
        }
    }

    /// The number of messages echoed, or nil when no client came.
    private func serveStream(_ fd: Int32, _ buffer: UnsafeMutableRawPointer) -> Int? {
        // A deep backlog: the client's timed connects must never wait for a SYN retransmit.
        guard listen(fd, 4096) == 0 else { return nil }
        var pollfd = Glibc.pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var clientCame = false
        while true {
            // Once a client came, it keeps coming; before that, wait as long as asked, or until
            // every client that could have come has ended.
            if clientCame {
                guard poll(&pollfd, 1, 10_000) == 1 else { return 0 }
            } else {
                guard Release.wait(upTo: wait, for: fd) == .descriptor else { return nil }
            }
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { continue }
            clientCame = true
            if transport.domain != AF_UNIX { setOption(connection, Int32(IPPROTO_TCP), TCP_NODELAY, 1) }
            var echoed = 0
            while receiveAll(connection, buffer, size) && sendAll(connection, buffer, size) {
                echoed += 1
            }
            close(connection)
            if echoed > 0 { return echoed }
        }
    }

    /// Echoes datagrams to their sender; a unixgram client's address is a path in its own
    /// mount of the volume, so the answer goes to PATH.reply as this container sees it.
    private func serveDatagrams(_ fd: Int32, _ buffer: UnsafeMutableRawPointer) -> Int? {
        setReceiveTimeout(fd, nanoseconds: wait)
        let reply = transport == .unixgram ? path.map { transport.address(port: port, path: $0 + ".reply") } : nil
        var peer = sockaddr_storage()
        var echoed = 0
        // The first datagram is waited for with poll: gVisor's recvfrom on a Unix datagram
        // socket of a volume was seen to outlast SO_RCVTIMEO.
        guard Release.wait(upTo: wait, for: fd) == .descriptor else { return nil }
        while true {
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let n = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, buffer, size, 0, $0, &length) }
            }
            if n < 0 { if errno == EINTR { continue }; return echoed > 0 ? echoed : nil }
            if n == 0 { return echoed } // stop: an empty datagram
            if let reply {
                _ = reply.withSockaddr { sendto(fd, buffer, n, 0, $0, $1) }
            } else {
                _ = withUnsafePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, buffer, n, 0, $0, length) }
                }
            }
            echoed += 1
        }
    }
}

import Glibc
