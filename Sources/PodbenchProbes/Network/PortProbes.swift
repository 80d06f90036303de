/// Holds a port on the pod's loopback for a while, so that a contender can find it taken.
public struct PortHolderProbe: Probe {
    public static let spec = ProbeSpec(
        role: "port-holder",
        summary: "Binds a TCP or UDP port on 127.0.0.1 and holds it for a while.",
        parameters: [PortContenderProbe.transport, Transport.port,
                     ParameterSpec("hold", .duration, default: "2s", "how long to hold the port (at most, with until)"),
                     ParameterSpec("until", .path, default: "", "let go once this file exists (the contender's done file), inside a volume mount"),
                     ParameterSpec("wait", .duration, default: "5s", "how long to retry while the port is busy")],
        checks: ["net.port-held"],
        metrics: []
    )

    let transport: Transport
    let port: Int
    let hold: UInt64
    let until: String
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        transport = Transport(rawValue: arguments.string("transport"))!
        port = arguments.integer("port")
        hold = arguments.nanoseconds("hold")
        until = arguments.string("until")
        wait = arguments.nanoseconds("wait")
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        guard let fd = transport.socket() else { throw .system("socket", errno: errno) }
        defer { close(fd) }
        let address = transport.address(port: port)
        // A contender's own probing bind can hold the port for an instant: retry.
        let bound = waitFor(timeout: wait) { address.bind(fd) ? true : (errno == EADDRINUSE ? nil : false) } == true
        guard bound else {
            return output.check("net.port-held", ok: false, "bind \(transport.rawValue) port \(port): \(String(cString: strerror(errno)))")
        }
        if transport.isStream { listen(fd, 1) }
        if until.isEmpty {
            sleep(nanoseconds: hold)
            output.check("net.port-held", ok: true, "\(transport.rawValue) port \(port) held for \(DurationText.format(nanoseconds: Double(hold)))")
        } else {
            let tried = waitForFile(until, timeout: hold, every: 5_000_000)
            output.check("net.port-held", ok: true, "\(transport.rawValue) port \(port) held " + (tried ? "until the contender had tried it" : "for \(DurationText.format(nanoseconds: Double(hold))); the contender never said it tried"))
        }
    }
}

/// Tries to bind the port another container holds: in one pod (one network namespace) the
/// port space is shared and the bind fails with EADDRINUSE; in another pod it succeeds.
public struct PortContenderProbe: Probe {
    static let transport = ParameterSpec("transport", .choice(["tcp", "udp"]), default: "tcp", "tcp or udp on 127.0.0.1")

    public static let spec = ProbeSpec(
        role: "port-contender",
        summary: "Tries to bind the port another container holds; expects EADDRINUSE within a pod.",
        parameters: [transport, Transport.port, Sharing.parameter,
                     ParameterSpec("wait", .duration, default: "2s", "how long to try before concluding the port is free"),
                     Sequencing.done],
        checks: ["net.port-space"],
        metrics: []
    )

    let transport: Transport
    let port: Int
    let sharing: Sharing
    let wait: UInt64
    let sequencing: Sequencing

    public init(_ arguments: ProbeArguments) {
        transport = Transport(rawValue: arguments.string("transport"))!
        port = arguments.integer("port")
        sharing = Sharing(rawValue: arguments.string("expect"))!
        wait = arguments.nanoseconds("wait")
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
        case .shared: output.check("net.port-space", ok: taken, seen + (taken ? ": one port space for the pod" : ": the port space is not shared"))
        case .isolated: output.check("net.port-space", ok: !taken, seen + (taken ? ", though the holder is in another pod" : ", as expected of another pod"))
        }
    }
}

import Glibc
