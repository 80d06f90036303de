import PodbenchProbeInterface

/// Reaches the echo server over a loopback channel of the pod's network namespace (or, with a
/// `peer`, at another pod's address) and times it: connect latency (stream transports), then a
/// ping-pong round trip; for datagrams, lost replies are counted.
public struct EchoClientProbe: Probe {
    public static let spec = EchoClientRole.spec

    let transport: Transport
    let port: Int
    let path: String?
    /// The pod whose server to reach at its address, and that address (from the runtime).
    let peer: String?
    let peerAddress: IPAddress?
    let sharing: Sharing
    let size: Int
    let wait: UInt64
    let sequencing: Sequencing
    let connects: Int
    let rounds: Int
    let warmup: Int
    let rate: Int?
    let turns: Turns?

    public init(_ arguments: ProbeArguments) {
        transport = arguments[Transport.parameter]
        port = arguments[Transport.port]
        path = arguments[Transport.path]
        peer = arguments[EchoClientRole.peer]
        peerAddress = arguments[EchoClientRole.peerAddress]
        sharing = arguments[Sharing.parameter]
        size = arguments[EchoClientRole.size]
        wait = arguments[EchoClientRole.wait]
        sequencing = Sequencing(arguments)
        connects = arguments[EchoClientRole.connects]
        rounds = arguments[EchoClientRole.rounds]
        warmup = arguments[EchoClientRole.warmup]
        rate = arguments[OpenLoop.rate]
        turns = arguments[Turns.parameter]
    }

    private var name: String { transport.rawValue }
    private var endpoint: String {
        guard let peer, let peerAddress else { return transport.endpoint(port: port, path: path) }
        return "\(peer) (\(peerAddress)) port \(port)"
    }

    /// The server's address: the peer pod's, or the loopback's (or a path's).
    private func serverAddress() throws(ProbeError) -> SocketAddress {
        guard let peer else { return try transport.address(port: port, path: path, role: "echo-client") }
        guard let peerAddress else {
            throw .usage("echo-client: --peer-pod \(peer) needs --peer-address, the pod's address, which a runtime that gives pods addresses passes")
        }
        return try transport.address(port: port, at: peerAddress, role: "echo-client")
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let address = try serverAddress()
        defer { sequencing.finished() }
        sequencing.waitForTurn(wait: wait, output)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(size, 8), alignment: 16)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0x5a, count: max(size, 8))
        let waited = DurationText.format(nanoseconds: Double(wait))

        if peer == nil, transport.isInternet, let down = Loopback.down() {
            switch sharing {
            case .shared:
                output.check(transport.reachable, ok: false, down)
                output.inconclusive(transport.roundTrip, "not judged: no server was reached")
            case .isolated: output.inconclusive(transport.isolated, "not judged: \(down), from any pod")
            }
            return
        }
        let reached = reach(address, buffer)
        if case .unavailable(let reason) = reached {
            // Nothing of this transport to judge here: no round trip either.
            let why = "the pod has no \(name) \(peer == nil ? "loopback" : "network"): \(reason)"
            output.skip(sharing == .shared ? transport.reachable : transport.isolated, why)
            if sharing == .shared { output.skip(transport.roundTrip, why) }
            return
        }
        guard case .reached(let first) = reached else {
            let (last, code) = if case .unreachable(let failure, let code) = reached { (failure, code) } else { ("", Int32(0)) }
            if sharing == .isolated {
                // Only a refusal proves that nothing listens; a denial says something is there.
                switch code {
                case ECONNREFUSED, ENOENT:
                    output.check(transport.isolated, ok: true, "no \(name) server at \(endpoint) within \(waited) (last \(last)), as expected of another pod")
                case EACCES, EPERM:
                    output.check(transport.isolated, ok: false, "something is at \(endpoint), though its server is in another pod: it refused this container (\(last))")
                default:
                    output.inconclusive(transport.isolated, "not judged: nothing at \(endpoint) refused or answered within \(waited) (last \(last)), which proves no absence")
                }
            } else {
                let failure = "no \(name) server answered at \(endpoint) within \(waited) (last \(last))"
                if peer == nil {
                    output.check(transport.reachable, ok: false, failure, through: transport.sharedThrough, awaited: true)
                } else {
                    output.check(transport.reachable, ok: false, failure + ": does the runtime route between its pods?")
                }
                output.inconclusive(transport.roundTrip, "not judged: no server was reached")
            }
            return
        }
        if sharing == .isolated {
            output.check(transport.isolated, ok: false, "a \(name) server answered at \(endpoint), though it runs in another pod")
            finish(first, buffer)
            close(first)
            return
        }
        output.check(transport.reachable, ok: true, "\(name) server at \(endpoint) answered")

        // The datagram socket that reached the server carries the ping-pong. A stream server
        // serves one connection at a time: the first one ends here, then come the timed
        // connects, then the ping-pong's own connection.
        var fd = first
        if transport.isStream {
            close(first)
            var latencies = LatencyRecorder(capacity: connects)
            let turn = TurnClock(turns)
            for _ in 0..<connects {
                guard let probe = transport.socket() else { break }
                setSendTimeout(probe, nanoseconds: Self.attempt)
                turn.wait()
                let start = monotonicNanoseconds()
                let connected = address.connect(probe)
                let end = monotonicNanoseconds()
                close(probe)
                if connected { latencies.record(end &- start) }
            }
            if connects > 0 {
                output.metric(transport.connectMetric, latencies)
                if latencies.count < connects { output.log("\(connects - latencies.count) of \(connects) timed connects failed") }
            }
            guard let connection = transport.socket() else { throw .system("socket", errno: errno) }
            setSendTimeout(connection, nanoseconds: Self.attempt)
            guard address.connect(connection) else {
                close(connection)
                throw .system("connect for the ping-pong", errno: errno)
            }
            setSendTimeout(connection, nanoseconds: Self.stall)
            if transport.domain != AF_UNIX { setOption(connection, Int32(IPPROTO_TCP), TCP_NODELAY, 1) }
            fd = connection
        }
        defer { close(fd) }
        // A datagram counts as lost only when no reply came within a second: on a loaded node a
        // reply can take longer than the 100 ms that finding the server allows.
        if !transport.isStream { setReceiveTimeout(fd, nanoseconds: 1_000_000_000) }

        output.onDeadline(.check(transport.roundTrip, ok: false, "the server stopped answering at \(endpoint) before the deadline, or the exchange outlasted the scenario's timeout"))
        var roundTrips = LatencyRecorder(capacity: rounds)
        var schedule = SendSchedule(rate: rate, turns: turns)
        var answered = 0, sent = 0
        var lastAnswered: UInt64 = 0
        let total = warmup + rounds
        for trip in 0..<total {
            buffer.storeBytes(of: UInt64(trip), as: UInt64.self)
            let start = schedule.nextStart()
            sent += 1
            guard exchange(fd, buffer, sequence: UInt64(trip)) else {
                if transport.isStream { break } else { continue }
            }
            let end = monotonicNanoseconds()
            if trip >= warmup { roundTrips.record(end &- start) }
            answered += 1
            lastAnswered = end
        }
        finish(fd, buffer)
        let lost = total - answered
        let message = transport.isStream
            ? "\(answered) of \(total) round trips of \(size) bytes answered (\(warmup) warm-up)"
            : "\(answered) of \(total) datagrams of \(size) bytes answered, \(lost) lost (\(warmup) warm-up)"
        output.check(transport.roundTrip, ok: lost == 0, message)
        output.metric(schedule.metric(transport.roundTripMetric), roundTrips)
        schedule.reportRate(sent: sent, lastAnswered: lastAnswered, family: transport.rawValue, output)
    }

    private enum Reach {
        case reached(Int32)
        /// With how the last attempt failed, and its errno.
        case unreachable(String, Int32)
        case unavailable(String)
    }

    /// The longest a connect to find the server may wait for an answer.
    static let attempt: UInt64 = 1_000_000_000
    /// The longest a send may make no progress (a server that stopped reading) before the
    /// exchange fails, well inside any scenario's timeout.
    static let stall: UInt64 = 5_000_000_000

    /// Connects (stream) or exchanges a first datagram, retrying until `wait`.
    private func reach(_ address: SocketAddress, _ buffer: UnsafeMutableRawPointer) -> Reach {
        var unavailable: String?
        var lastFailure = "no attempt"
        var lastCode: Int32 = 0
        let fd = waitFor(timeout: wait, every: 5_000_000) { () -> Int32? in
            guard let fd = transport.socket() else {
                if Transport.isUnavailable(errno) { unavailable = errnoText(errno) }
                return unavailable == nil ? nil : -1
            }
            // A datagram client needs an address of its own for the replies: PATH.reply, beside
            // the server's socket on the volume (the server answers there, through its own
            // mount of the volume), so that only the volume is shared.
            if transport == .unixgram, let path {
                let own = path + ".reply"
                unlink(own)
                guard transport.address(port: port, path: own).bind(fd) else {
                    lastFailure = "bind \(own), its own address for the replies: \(errnoText(errno))"
                    close(fd)
                    return nil
                }
            }
            // A connect nobody answers (a SYN dropped) waits no longer than an attempt.
            setSendTimeout(fd, nanoseconds: Self.attempt)
            if address.connect(fd) {
                setSendTimeout(fd, nanoseconds: Self.stall)
                if transport.isStream { return fd }
                setReceiveTimeout(fd, nanoseconds: 100_000_000)
                buffer.storeBytes(of: UInt64.max, as: UInt64.self)
                if exchange(fd, buffer, sequence: UInt64.max) { return fd }
                lastCode = errno
                lastFailure = "the first datagram: \(errnoText(lastCode))"
            } else if peer == nil && Transport.isUnavailable(errno) {
                // Another pod's address may be unreachable for a while: that is retried.
                unavailable = errnoText(errno)
                close(fd)
                return -1
            } else {
                lastCode = errno
                lastFailure = lastCode == EINPROGRESS ? "connect: no answer within \(DurationText.format(nanoseconds: Double(Self.attempt)))" : "connect: \(errnoText(lastCode))"
            }
            close(fd)
            return nil
        }
        if let unavailable { return .unavailable(unavailable) }
        guard let fd, fd >= 0 else { return .unreachable(lastFailure, lastCode) }
        return .reached(fd)
    }

    /// One round trip; datagram replies that are not this trip's (late ones) are skipped.
    @inline(__always)
    private func exchange(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, sequence: UInt64) -> Bool {
        if transport.isStream {
            return sendAll(fd, buffer, size) && receiveAll(fd, buffer, size)
        }
        guard send(fd, buffer, size, 0) == size else { return false }
        while recv(fd, buffer, size, 0) == size {
            if buffer.load(as: UInt64.self) == sequence { return true }
        }
        return false
    }

    /// Tells the server the exchange is over: a closed stream, or empty stop datagrams.
    private func finish(_ fd: Int32, _ buffer: UnsafeMutableRawPointer) {
        guard !transport.isStream else { return }
        for _ in 0..<3 { _ = send(fd, buffer, 0, 0) }
        if transport == .unixgram, let path { unlink(path + ".reply") }
    }
}

import Glibc
