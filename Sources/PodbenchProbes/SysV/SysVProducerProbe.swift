/// The seed's mc2 producer: creates a System V message queue, sends random messages and a
/// final "done", then times a ping-pong with the consumer over the same queue.
public struct SysVProducerProbe: Probe {
    public static let spec = ProbeSpec(
        role: "sysv-producer",
        summary: "Creates a System V message queue, sends random messages then 'done', and times a ping-pong.",
        parameters: [
            SysVParameters.key, SysVParameters.count, SysVParameters.size, SysVParameters.wait,
            ParameterSpec("interval", .duration, default: "1ms", "the pause between random messages"),
            ParameterSpec("rounds", .integer(0...10_000_000), default: "2000", "timed ping-pong round trips"),
            ParameterSpec("warmup", .integer(0...1_000_000), default: "200", "untimed round trips first"),
        ],
        checks: ["sysv.queue-created", "sysv.round-trip"],
        metrics: ["sysv.round-trip"]
    )

    let key: Int
    let count: Int
    let size: Int
    let wait: UInt64
    let interval: UInt64
    let rounds: Int
    let warmup: Int

    public init(_ arguments: ProbeArguments) {
        key = arguments.integer("key")
        count = arguments.integer("count")
        size = arguments.integer("size")
        wait = arguments.nanoseconds("wait")
        interval = arguments.nanoseconds("interval")
        rounds = arguments.integer("rounds")
        warmup = arguments.integer("warmup")
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let keyText = SysVParameters.keyText(key)
        let queue = msgget(key_t(key), IPC_CREAT | 0o600)
        guard queue >= 0 else {
            output.check("sysv.queue-created", ok: false, "msgget(\(keyText), IPC_CREAT): \(String(cString: strerror(errno)))")
            return
        }
        defer { msgctl(queue, IPC_RMID, nil) }
        output.check("sysv.queue-created", ok: true, "queue \(keyText) created (id \(queue))")

        let message = SysVMessage(payloadSize: size)
        let hello = waitFor(timeout: wait) { () -> Bool? in
            message.receive(queue, on: .toProducer, wait: false) && message.kind == .hello ? true : nil
        }
        guard hello != nil else {
            output.check("sysv.round-trip", ok: false, "no consumer opened queue \(keyText) within \(DurationText.format(nanoseconds: Double(wait))): is the IPC namespace shared?")
            return
        }

        for sequence in 0..<count {
            if sequence > 0, interval > 0 { sleep(nanoseconds: interval) }
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
        output.onDeadline(.check("sysv.round-trip", ok: false, "the consumer stopped answering pings on queue \(keyText) before the deadline, or the exchange outlasted the scenario's timeout"))
        var roundTrips = LatencyRecorder(capacity: rounds)
        var answered = 0
        for trip in 0..<(warmup + rounds) {
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
        output.check("sysv.round-trip", ok: answered == total, "\(answered) of \(total) round trips of \(size) bytes answered (\(warmup) warm-up)")
        output.metric("sysv.round-trip", roundTrips)
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
