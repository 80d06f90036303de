import PodbenchProbeInterface

/// The seed's mc2 producer: creates a System V message queue, sends random messages and a
/// final "done", then times a ping-pong with the consumer over the same queue.
public struct SysVProducerProbe: Probe {
    public static let spec = SysVProducerRole.spec

    let pair: SysVPair
    let interval: UInt64
    let rounds: Int
    let warmup: Int
    let turns: Turns?

    public init(_ arguments: ProbeArguments) {
        pair = SysVPair(arguments)
        interval = arguments[SysVProducerRole.interval]
        rounds = arguments[SysVProducerRole.rounds]
        warmup = arguments[SysVProducerRole.warmup]
        turns = arguments[Turns.parameter]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let (key, count, size, wait, keyText) = (pair.key, pair.count, pair.size, pair.wait, pair.keyText)
        let queue = msgget(key_t(key), IPC_CREAT | 0o600)
        guard queue >= 0 else {
            output.check(.sysvQueueCreated, ok: false, "msgget(\(keyText), IPC_CREAT): \(errnoText(errno))")
            return
        }
        defer { msgctl(queue, IPC_RMID, nil) }
        output.check(.sysvQueueCreated, ok: true, "queue \(keyText) created (id \(queue))")

        // A queue that cannot carry the messages is said at once; it stays until the consumer
        // has seen the same (its notice) or the wait ends.
        let refusal = SysVQueueLimits.refusal(queue, keyText: keyText, size: size)
        if let refusal { output.check(.sysvRoundTrip, ok: false, refusal, through: .ipc) }
        let message = SysVMessage(payloadSize: size)
        let hello = waitFor(timeout: wait) { () -> SysVMessage.Kind? in
            message.receive(queue, on: .toProducer, wait: false) && (message.kind == .hello || message.kind == .refused) ? message.kind : nil
        }
        guard refusal == nil else { return }
        switch hello {
        case nil:
            return output.check(.sysvRoundTrip, ok: false, "no consumer opened queue \(keyText) within \(DurationText.format(nanoseconds: Double(wait)))", through: .ipc, awaited: true)
        case .refused:
            return output.inconclusive(.sysvRoundTrip, "not judged: the consumer could not use queue \(keyText) (its sysv.all-consumed says why)")
        default:
            break
        }

        let turn = TurnClock(turns)
        for sequence in 0..<count {
            if sequence > 0, interval > 0 { sleep(nanoseconds: interval) }
            turn.wait()
            let text = hexByte(UInt8.random(in: 0...255))
            message.set(.data, text: text)
            message.sequence = UInt32(sequence)
            message.stamp = monotonicNanoseconds()
            guard message.send(queue, on: .stream) else { throw .system("msgsnd", errno: errno) }
            output.log("Produced: \(text)")
        }
        message.set(.done, text: "done")
        message.sequence = UInt32(count)
        message.stamp = monotonicNanoseconds()
        guard message.send(queue, on: .stream) else { throw .system("msgsnd", errno: errno) }
        output.log("Produced: done")
        output.flush()

        // The consumer echoes whatever it gets, so the buffer keeps its kind between trips.
        message.set(.ping)
        output.onDeadline(.check(.sysvRoundTrip, ok: false, "the consumer stopped answering pings on queue \(keyText) before the deadline, or the exchange outlasted the scenario's timeout"))
        var roundTrips = LatencyRecorder(capacity: rounds)
        var answered = 0
        for trip in 0..<(warmup + rounds) {
            turn.wait()
            let start = monotonicNanoseconds()
            guard message.send(queue, on: .toConsumer), message.receive(queue, on: .toProducer) else { break }
            let end = monotonicNanoseconds()
            if trip >= warmup { roundTrips.record(end &- start) }
            answered += 1
        }
        message.set(.stop)
        _ = message.send(queue, on: .toConsumer)
        _ = message.receive(queue, on: .toProducer)

        let total = warmup + rounds
        output.check(.sysvRoundTrip, ok: answered == total, "\(answered) of \(total) round trips of \(size) bytes answered (\(warmup) warm-up)")
        output.metric(.sysvRoundTrip, roundTrips)
    }
}

func hexByte(_ byte: UInt8) -> String {
    let text = String(byte, radix: 16)
    return text.count == 1 ? "0" + text : text
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
