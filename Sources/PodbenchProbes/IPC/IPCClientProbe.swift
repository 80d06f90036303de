import PodbenchProbeInterface

/// The client end of an IPC ping-pong: opens the server's channel by key or name and times
/// round trips through it.
public struct IPCClientProbe: Probe {
    public static let spec = IPCClientRole.spec

    let kind: IPCChannelKind
    let key: Int
    let size: Int
    let sharing: Sharing
    let wait: UInt64
    let rounds: Int
    let warmup: Int
    let rate: Int?
    let turns: Turns?
    let sequencing: Sequencing

    public init(_ arguments: ProbeArguments) {
        kind = arguments[IPCChannelKind.parameter]
        key = arguments[IPCChannelKind.key]
        size = arguments[IPCChannelKind.size]
        sharing = arguments[Sharing.parameter]
        wait = arguments[IPCClientRole.wait]
        rounds = arguments[IPCClientRole.rounds]
        warmup = arguments[IPCClientRole.warmup]
        rate = arguments[OpenLoop.rate]
        turns = arguments[Turns.parameter]
        sequencing = Sequencing(arguments)
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        defer { sequencing.finished() }
        sequencing.waitForTurn(wait: wait, output)
        try exchange(kind.type, output)
    }

    /// No channel to exchange through: the round trips are not judged.
    private func noExchange(_ output: ProbeOutput) {
        if sharing == .shared { output.inconclusive(kind.roundTrip, "not judged: no \(kind.rawValue) channel to exchange through") }
    }

    private func exchange<Channel: IPCChannel>(_ type: Channel.Type, _ output: ProbeOutput) throws(ProbeError) {
        let name = kind.rawValue
        let where_ = kind == .sysvMessage || kind == .sysvSharedMemory ? "key \(ipcKey(key))" : IPCChannelKind.posixName(key)
        var absent = ""
        let opening = waitFor(timeout: wait) { () -> Opening<Channel>? in
            let opening = Channel.open(key: key, size: size)
            guard case .absent(let why) = opening else { return opening }
            // A server that could not make its channel says why: no more waiting.
            if sharing == .shared, let failure = ServerFailure.read(key: key) { return .absent(failure) }
            absent = why
            return nil
        }
        let channel: Channel
        switch opening {
        case nil:
            // Absence is proven only by what said so (ENOENT), never by another error.
            let none = "no \(name) channel at \(where_) appeared within \(DurationText.format(nanoseconds: Double(wait))) (last \(absent))"
            switch sharing {
            case .shared: output.check(kind.reachable, ok: false, none, through: kind.sharedThrough, awaited: true)
            case .isolated: output.check(kind.isolated, ok: true, none + ", as expected of another pod")
            }
            return noExchange(output)
        case .absent(let failure):
            output.inconclusive(kind.reachable, "not judged: its server could not make the \(name) channel at \(where_): \(failure)")
            return noExchange(output)
        case .refused(let why, let exists):
            switch (sharing, exists) {
            // There: the sharing is seen (the judge adds the namespace's identity where there is
            // one, and asks nothing of a mount); what refused it is the answer.
            case (.shared, true): output.check(kind.reachable, ok: false, "the \(name) channel at \(where_) is there, but refused this container: \(why)", through: kind.sharedThrough == .ipc ? .ipc : nil)
            case (.shared, false): output.check(kind.reachable, ok: false, "the \(name) channel at \(where_) cannot be used here: \(why)", through: kind.sharedThrough)
            case (.isolated, true): output.check(kind.isolated, ok: false, "the \(name) channel at \(where_) is there, though its server is in another pod (\(why)): this pod sees the other's IPC objects")
            case (.isolated, false): output.inconclusive(kind.isolated, "not judged: opening the \(name) channel at \(where_) failed, which proves no absence: \(why)")
            }
            return noExchange(output)
        case .opened(let opened): channel = opened
        }
        defer { channel.close() }
        let message = channel.message
        message.initializeMemory(as: UInt8.self, repeating: 0x5a, count: size)
        message.storeBytes(of: IPCMessageKind.hello.rawValue, as: UInt64.self)
        // A server that dies after making its channel leaves the greeting unanswered.
        switch sharing {
        case .shared: output.onDeadline(.check(kind.reachable, ok: false, "the \(name) channel at \(where_) opened, but the server did not answer the greeting before the deadline"))
        case .isolated: output.onDeadline(.check(kind.isolated, ok: false, "the \(name) channel at \(where_) was there, though the server is in another pod"))
        }
        let sent = channel.ping()
        let greeted = sent && channel.receivePong()
        let whyNot = greeted ? "" : Channel.failure(sending: !sent, errno)
        if sharing == .isolated {
            output.check(kind.isolated, ok: false, "the \(name) channel at \(where_) was there, though the server is in another pod")
            message.storeBytes(of: IPCMessageKind.stop.rawValue, as: UInt64.self)
            _ = channel.ping() && channel.receivePong()
            return
        }
        output.check(kind.reachable, ok: greeted, greeted ? "the server's \(name) channel at \(where_) answered" : "the \(name) channel at \(where_) opened, but \(whyNot)")
        guard greeted else {
            // Say stop, so that the server does not wait for pings until its deadline.
            message.storeBytes(of: IPCMessageKind.stop.rawValue, as: UInt64.self)
            if sent { _ = channel.ping() }
            return
        }

        output.onDeadline(.check(kind.roundTrip, ok: false, "the server stopped answering through the \(name) channel before the deadline, or the exchange outlasted the scenario's timeout)"))
        var roundTrips = LatencyRecorder(capacity: rounds)
        var schedule = SendSchedule(rate: rate, turns: turns)
        var answered = 0, garbled = 0
        var lastAnswered: UInt64 = 0
        var failure: String?
        let total = warmup + rounds
        for trip in 0..<total {
            message.storeBytes(of: IPCMessageKind.ping.rawValue, as: UInt64.self)
            message.storeBytes(of: UInt64(trip), toByteOffset: 8, as: UInt64.self)
            let start = schedule.nextStart()
            guard channel.ping() else {
                failure = Channel.failure(sending: true, errno)
                break
            }
            guard channel.receivePong() else {
                failure = Channel.failure(sending: false, errno)
                break
            }
            let end = monotonicNanoseconds()
            guard message.load(as: UInt64.self) != IPCMessageKind.stop.rawValue else {
                failure = "the server gave up (its \(kind.served) check says why)"
                break
            }
            if trip >= warmup { roundTrips.record(end &- start) }
            if message.load(fromByteOffset: 8, as: UInt64.self) != UInt64(trip) { garbled += 1 }
            answered += 1
            lastAnswered = end
        }
        message.storeBytes(of: IPCMessageKind.stop.rawValue, as: UInt64.self)
        _ = channel.ping() && channel.receivePong()
        let ok = answered == total && garbled == 0
        var text = "\(answered) of \(total) round trips of \(size) bytes answered (\(warmup) warm-up)"
        if garbled > 0 { text += ", \(garbled) answers out of order or corrupt" }
        if let failure { text += ": " + failure }
        output.check(kind.roundTrip, ok: ok, text)
        output.metric(schedule.metric(kind.roundTripMetric(size: String(size))), roundTrips)
        schedule.reportRate(sent: answered, lastAnswered: lastAnswered, family: kind.rawValue, output)
    }
}

import Glibc
