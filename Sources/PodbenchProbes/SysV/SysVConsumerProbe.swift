import PodbenchProbeInterface

/// The seed's mc2 consumer: opens the producer's System V queue by key, reads until "done",
/// checking that every message arrived once and in order, then echoes the producer's pings.
public struct SysVConsumerProbe: Probe {
    public static let spec = SysVConsumerRole.spec

    let pair: SysVPair

    public init(_ arguments: ProbeArguments) {
        pair = SysVPair(arguments)
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let (key, count, size, wait, keyText) = (pair.key, pair.count, pair.size, pair.wait, pair.keyText)
        let found = waitFor(timeout: wait) { () -> Int32? in
            let queue = msgget(key_t(key), 0)
            return queue >= 0 ? queue : nil
        }
        guard let queue = found else {
            let waited = DurationText.format(nanoseconds: Double(wait))
            output.check(.sysvQueueReachable, ok: false, "no System V queue with key \(keyText) appeared in this IPC namespace within \(waited)")
            output.check(.sysvAllConsumed, ok: false, "nothing consumed: the queue was never reachable")
            output.check(.sysvInOrder, ok: false, "nothing consumed: the queue was never reachable")
            return
        }
        output.check(.sysvQueueReachable, ok: true, "queue \(keyText) opened (id \(queue))")

        let message = SysVMessage(payloadSize: size)
        var refusal = SysVQueueLimits.refusal(queue, keyText: keyText, size: size)
        if refusal != nil {
            _ = message.sendNotice(.refused, queue, on: .toProducer)
        } else {
            message.set(.hello)
            if !message.send(queue, on: .toProducer) { refusal = "msgsnd of the hello into queue \(keyText) failed: \(errnoText(errno))" }
        }
        if let refusal {
            output.check(.sysvAllConsumed, ok: false, refusal, through: .ipc)
            output.inconclusive(.sysvInOrder, "not judged: nothing was consumed")
            return
        }

        output.onDeadline(.check(.sysvAllConsumed, ok: false, "the producer stopped before 'done' on queue \(keyText) (the deadline passed first)"))
        var latencies = LatencyRecorder(capacity: count)
        var seen = [Bool](repeating: false, count: count)
        var received = 0, duplicates = 0, outOfOrder = 0, unexpected = 0, next = 0
        var announced: Int?
        while announced == nil {
            guard message.receive(queue, on: .stream) else { throw .system("msgrcv", errno: errno) }
            let arrived = monotonicNanoseconds()
            let sequence = Int(message.sequence)
            if message.kind == .done {
                announced = sequence
                output.log("Consumed: done")
                break
            }
            latencies.recordOneWay(sent: message.stamp, arrived: arrived)
            output.log("Consumed: \(message.text)")
            guard sequence < count else { unexpected += 1; continue }
            if seen[sequence] { duplicates += 1 } else { seen[sequence] = true; received += 1 }
            if sequence != next { outOfOrder += 1 }
            next = sequence + 1
        }
        output.flush()

        while message.receive(queue, on: .toConsumer) {
            if message.kind == .stop {
                message.set(.bye)
                _ = message.send(queue, on: .toProducer)
                break
            }
            guard message.send(queue, on: .toProducer) else { break }
        }

        let missing = count - received
        let complete = missing == 0 && duplicates == 0 && unexpected == 0 && announced == count
        var problems: [String] = []
        if missing > 0 { problems.append("\(missing) lost") }
        if duplicates > 0 { problems.append("\(duplicates) duplicated") }
        if unexpected > 0 { problems.append("\(unexpected) unexpected") }
        if announced != count { problems.append("'done' announced \(announced ?? 0), expected \(count)") }
        output.check(.sysvAllConsumed, ok: complete, complete ? "all \(count) messages consumed once" : "\(received) of \(count) consumed: " + problems.joined(separator: ", "))
        output.check(.sysvInOrder, ok: outOfOrder == 0, outOfOrder == 0 ? "\(received) messages in order" : "\(outOfOrder) messages out of order")
        output.oneWayMetric(.sysvOneWay, latencies)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
