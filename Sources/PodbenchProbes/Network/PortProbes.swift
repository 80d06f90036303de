import PodbenchProbeInterface

/// Holds a port on the pod's loopback for a while, so that a contender can find it taken.
public struct PortHolderProbe: Probe {
    public static let spec = PortHolderRole.spec

    let transport: Transport
    let port: Int
    let hold: UInt64
    let until: String?
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        transport = arguments[PortTransport.parameter].transport
        port = arguments[Transport.port]
        hold = arguments[PortHolderRole.hold]
        until = arguments[PortHolderRole.until]
        wait = arguments[PortHolderRole.wait]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        guard let fd = transport.socket() else { throw .system("socket", errno: errno) }
        defer { close(fd) }
        let address = transport.address(port: port)
        // A contender's own probing bind can hold the port for an instant: retry.
        let bound = waitFor(timeout: wait) { address.bind(fd) ? true : (errno == EADDRINUSE ? nil : false) } == true
        guard bound else {
            return output.check(.netPortHeld, ok: false, "bind \(transport.rawValue) port \(port): \(errnoText(errno))")
        }
        if transport.isStream { listen(fd, 1) }
        if let until {
            let tried = waitForFile(until, timeout: hold, every: 5_000_000, releasable: true)
            output.check(.netPortHeld, ok: true, "\(transport.rawValue) port \(port) held " + (tried ? "until the contender had tried it" : "for \(DurationText.format(nanoseconds: Double(hold))); the contender never said it tried"))
        } else {
            let released = Release.hold(upTo: hold)
            output.check(.netPortHeld, ok: true, "\(transport.rawValue) port \(port) held " + (released ? "until every container that could try it had ended" : "for \(DurationText.format(nanoseconds: Double(hold)))"))
        }
    }
}

/// Tries to bind the port another container holds: in one pod (one network namespace) the
/// port space is shared and the bind fails with EADDRINUSE; in another pod it succeeds.
public struct PortContenderProbe: Probe {
    public static let spec = PortContenderRole.spec

    let transport: Transport
    let port: Int
    let sharing: Sharing
    let wait: UInt64
    let sequencing: Sequencing

    public init(_ arguments: ProbeArguments) {
        transport = arguments[PortTransport.parameter].transport
        port = arguments[Transport.port]
        sharing = arguments[Sharing.parameter]
        wait = arguments[PortContenderRole.wait]
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

extension PortTransport {
    /// The transport of the same name.
    var transport: Transport {
        switch self {
        case .tcp: .tcp
        case .udp: .udp
        }
    }
}

import Glibc
