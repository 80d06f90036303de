import PodbenchProbeInterface

/// The server end of an IPC ping-pong: creates the channel, answers the client's pings until it
/// says stop, and removes the channel.
public struct IPCServerProbe: Probe {
    public static let spec = IPCServerRole.spec

    let kind: IPCChannelKind
    let key: Int
    let size: Int
    let sharing: Sharing
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        kind = arguments[IPCChannelKind.parameter]
        key = arguments[IPCChannelKind.key]
        size = arguments[IPCChannelKind.size]
        sharing = arguments[Sharing.parameter]
        wait = arguments[IPCServerRole.wait]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        try serve(kind.type, output)
    }

    private func serve<Channel: IPCChannel>(_ type: Channel.Type, _ output: ProbeOutput) throws(ProbeError) {
        let channel: Channel
        do {
            channel = try Channel.create(key: key, size: size)
        } catch {
            // Said now, and left for the clients while they may look.
            output.error(error.description)
            if sharing == .shared, ServerFailure.leave(key: key, reason: error.description) {
                Release.hold(upTo: wait)
                ServerFailure.remove(key: key)
            }
            throw .reported
        }
        defer {
            channel.close()
            channel.remove()
        }
        let check = kind.served
        if let refusal = channel.refusal() {
            // Said at once; the channel stays for the client to find the same limit.
            output.check(check, ok: false, refusal, through: kind.sharedThrough)
            Release.hold(upTo: wait)
            return
        }
        // Start-up is not measured: a slow poll keeps the CPUs to the measurement under way.
        let waiting = monotonicNanoseconds()
        let hello = waitFor(timeout: wait, every: 20_000_000, releasable: true) { () -> Bool? in
            channel.receivePing(wait: false) ? true : Channel.isNothingYet(errno) ? nil : false
        }
        if hello == false {
            output.check(check, ok: false, "the \(kind.rawValue) channel is there, but \(Channel.failure(sending: false, errno))")
            // For another pod the channel's being there is the point: it stays its wait out.
            if sharing == .isolated { Release.hold(upTo: wait &- min(wait, monotonicNanoseconds() &- waiting)) }
            return
        }
        guard hello != nil else {
            let none = "no client opened the \(kind.rawValue) channel " + Release.waited(since: waiting, upTo: wait)
            return sharing == .isolated ? output.check(check, ok: true, none + ", as expected of another pod")
                : output.check(check, ok: false, none, through: kind.sharedThrough, awaited: true)
        }
        output.onDeadline(.check(check, ok: false, "the client stopped pinging through the \(kind.rawValue) channel before it said stop (the deadline passed first)"))
        var answered = 0
        var stopped = false
        var failure = ""
        repeat {
            stopped = channel.message.load(as: UInt64.self) == IPCMessageKind.stop.rawValue
            guard channel.pong() else {
                failure = Channel.failure(sending: true, errno)
                break
            }
            answered += 1
            if !stopped && !channel.receivePing(wait: true) {
                failure = Channel.failure(sending: false, errno)
                // Tell the client, which may be waiting for an answer.
                channel.message.storeBytes(of: IPCMessageKind.stop.rawValue, as: UInt64.self)
                _ = channel.pong()
                break
            }
        } while !stopped
        let served = "answered \(answered) messages of \(size) bytes"
        switch sharing {
        case .shared: output.check(check, ok: stopped, served + (stopped ? "" : " before the channel failed: " + failure))
        case .isolated: output.check(check, ok: false, served + ", though the client is in another pod")
        }
    }
}

import Glibc
