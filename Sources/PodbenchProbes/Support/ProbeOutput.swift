import PodbenchProbeInterface
import CPodbench

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a probe writes its log lines and result records (standard output, one per line).
public final class ProbeOutput {
    private let encoder: JSONEncoder
    /// Whether any check this probe reported failed.
    public private(set) var anyCheckFailed = false
    /// When the probe's deadline passes (CLOCK_MONOTONIC ns); 0 for none.
    var deadline: UInt64 = 0
    /// A failure reported this close to the deadline may be a peer's own deadline seen through
    /// the channel (its end closed first; peers start a little apart): it is marked as cut
    /// short, which the judge heeds only when the scenario did time out.
    var deadlineMargin: UInt64 = 0

    public init() {
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
    }

    /// A line of the probe's log, like the seed's `Produced: f4`.
    public func log(_ line: String) {
        print(line)
    }

    /// A check; a failed one between containers of a pod says what it goes `through`, and
    /// whether it failed because its peer never came (`awaited`).
    public func check(_ name: CheckName, ok: Bool, _ message: String, through: SharedThrough? = nil, awaited: Bool = false) {
        var record = ProbeRecord.check(name, ok: ok, message, through: through)
        if awaited { record.awaited = true }
        if !ok {
            anyCheckFailed = true
            if deadline > 0, monotonicNanoseconds() &+ deadlineMargin >= deadline { record.deadline = true }
        }
        emit(record)
    }

    /// A check that cannot be judged in this pod (for example IPv6 where it has none).
    public func skip(_ name: CheckName, _ reason: String) {
        emit(.skipped(name, reason))
    }

    /// A check that was not judged because its precondition failed (the peer never met this
    /// probe on the channel they meet through): not the failure of the channel under test.
    public func inconclusive(_ name: CheckName, _ reason: String) {
        emit(.inconclusive(name, reason))
    }

    public func metric(_ name: MetricName, _ recorder: borrowing LatencyRecorder) {
        emit(.metric(name, unit: "ns", values: recorder.recordedValues()))
    }

    /// A one-way metric: invalid when any sample arrived before it was sent, which two
    /// containers reading one CLOCK_MONOTONIC cannot see.
    public func oneWayMetric(_ name: MetricName, _ recorder: borrowing LatencyRecorder) {
        guard recorder.backwards == 0 else {
            return invalidMetric(name, "\(recorder.backwards) of \(recorder.backwards + recorder.count) samples arrived before they were sent: the two containers do not read one clock")
        }
        metric(name, recorder)
    }

    /// A metric whose samples are not valid, with the reason instead of numbers.
    public func invalidMetric(_ name: MetricName, _ reason: String) {
        var record = ProbeRecord.metric(name, unit: "ns", values: [])
        record.invalid = reason
        emit(record)
    }

    public func error(_ message: String) {
        emit(.error(message))
    }

    /// Writes a record and flushes, so that a record is never lost to a deadline's exit.
    public func emit(_ record: ProbeRecord) {
        var record = record
        // A check says when it was judged: its time, from the probe's start (`Judge`).
        if record.podbench == .check, record.at == nil { record.at = realtimeNanoseconds() }
        var line = ""
        encode(record, into: &line)
        print(line)
        flush()
    }

    func encode(_ record: ProbeRecord, into line: inout String) {
        // Encoding a plain struct of strings and numbers cannot fail.
        line = String(decoding: try! encoder.encode(record), as: UTF8.self)
    }

    /// Sets what the probe prints if its deadline passes from now on: the process then writes
    /// `record` and exits 124. A probe blocked on a peer that died says, this way, which of its
    /// checks failed and why, rather than only that time ran out.
    public func onDeadline(_ record: ProbeRecord) {
        guard deadline > 0 else { return }
        var record = record
        record.deadline = true
        let now = monotonicNanoseconds()
        let microseconds = deadline > now ? (deadline - now) / 1_000 : 0
        var line = ""
        encode(record, into: &line)
        // Kept for the life of the process: the signal handler reads it. On a line of its own,
        // whatever partial line the buffer held when it fired.
        podbench_arm_deadline(microseconds, strdup("\n" + line + "\n"))
    }

    /// Flushes what is buffered, before a wait that may end the process.
    public func flush() {
        fflush(nil)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
