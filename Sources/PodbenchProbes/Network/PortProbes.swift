/// Holds a port on the pod's loopback for a while, so that a contender can find it taken.
public struct PortHolderProbe: Probe {
    public static let spec = ProbeSpec(
        role: "port-holder",
        summary: "Binds a TCP or UDP port on 127.0.0.1 and holds it for a while.",
        parameters: [PortTransport.parameter, Transport.port, hold, until, wait],
        checks: [.netPortHeld]
    )
    static let hold = Parameter.duration("hold", default: "2s", "how long to hold the port (at most, with until)")
    static let until = Parameter.optionalPath("until", "let go once this file exists (the contender's done file), inside a volume mount")
    static let wait = Parameter.duration("wait", default: "5s", "how long to retry while the port is busy", scaling: .waiting)

    let transport: Transport
    let port: Int
    let hold: UInt64
    let until: String?
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        transport = arguments[PortTransport.parameter].transport
        port = arguments[Transport.port]
        hold = arguments[Self.hold]
        until = arguments[Self.until]
        wait = arguments[Self.wait]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        guard let fd = transport.socket() else { throw .system("socket", errno: errno) }
        defer { close(fd) }
        let address = transport.address(port: port)
        // A contender's own probing bind can hold the port for an instant: retry.
        let bound = waitFor(timeout: wait) { address.bind(fd) ? true : (errno == EADDRINUSE ? nil : false) } == true
        guard bound else {
            return output.check(.netPortHeld, ok: false, "bind \(transport.rawValue) port \(port): \(String(cString: strerror(errno)))")
        }
        if transport.isStream { listen(fd, 1) }
        if let until {
            let tried = waitForFile(until, timeout: hold, every: 5_000_000)
            output.check(.netPortHeld, ok: true, "\(transport.rawValue) port \(port) held " + (tried ? "until the contender had tried it" : "for \(DurationText.format(nanoseconds: Double(hold))); the contender never said it tried"))
        } else {
            sleep(nanoseconds: hold)
            output.check(.netPortHeld, ok: true, "\(transport.rawValue) port \(port) held for \(DurationText.format(nanoseconds: Double(hold)))")
        }
    }
}

/// Tries to bind the port another container holds: in one pod (one network namespace) the
/// port space is shared and the bind fails with EADDRINUSE; in another pod it succeeds.
public struct PortContenderProbe: Probe {
    public static let spec = ProbeSpec(
        role: "port-contender",
        summary: "Tries to bind the port another container holds; expects EADDRINUSE within a pod.",
        parameters: [PortTransport.parameter, Transport.port, Sharing.parameter, wait, Sequencing.done],
        checks: [.netPortSpace]
    )
    static let wait = Parameter.duration("wait", default: "2s", "how long to try before concluding the port is free", scaling: .waiting)

    let transport: Transport
    let port: Int
    let sharing: Sharing
    let wait: UInt64
    let sequencing: Sequencing

    public init(_ arguments: ProbeArguments) {
        transport = arguments[PortTransport.parameter].transport
        port = arguments[Transport.port]
        sharing = arguments[Sharing.parameter]
        wait = arguments[Self.wait]
        sequencing = Sequencing(arguments)
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        defer { sequencing.finished() }
        let address = transport.address(port: port)
        var attempts = 0
        // Each attempt binds and lets go at once, so that it never keeps the holder out.
        let taken = waitFor(timeout: wait, every: 5_000_000) { () -> Bool? in
            guard let fd = transport.socket() else { return nil }
            defer { close(fd) }
            attempts += 1
            return address.bind(fd) ? nil : (errno == EADDRINUSE ? true : nil)
        } ?? false
        let what = "\(transport.rawValue) port \(port)"
        let seen = taken ? "\(what) was in use (EADDRINUSE)" : "\(what) stayed free to bind over \(attempts) attempts in \(DurationText.format(nanoseconds: Double(wait)))"
        switch sharing {
        case .shared: output.check(.netPortSpace, ok: taken, seen + (taken ? ": one port space for the pod" : ": the port space is not shared"))
        case .isolated: output.check(.netPortSpace, ok: !taken, seen + (taken ? ", though the holder is in another pod" : ", as expected of another pod"))
        }
    }
}

extension CheckName {
    /// The holder bound the port and held it.
    static let netPortHeld = CheckName("net.port-held")
    /// The contender found the port taken (one pod) or free (another pod).
    static let netPortSpace = CheckName("net.port-space")
}

/// The transports of a port on 127.0.0.1 that the port probes hold and contend for.
enum PortTransport: String, CaseIterable, Sendable {
    case tcp, udp

    static let parameter = Parameter<PortTransport>.choice("transport", default: .tcp, "tcp or udp on 127.0.0.1")

    var transport: Transport {
        switch self {
        case .tcp: .tcp
        case .udp: .udp
        }
    }
}

import Glibc
