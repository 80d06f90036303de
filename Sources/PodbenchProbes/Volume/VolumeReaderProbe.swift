import PodbenchProbeInterface

/// The seed's mc1 reader: follows the writer's file through its own mount path and checks that
/// every line arrives, in order and intact, recording each line's write-to-visible latency.
public struct VolumeReaderProbe: Probe {
    public static let spec = VolumeReaderRole.spec

    let path: String
    let count: Int
    let poll: UInt64
    let wait: UInt64
    let inotify: Bool
    let sharing: Sharing

    public init(_ arguments: ProbeArguments) {
        path = arguments[VolumeReaderRole.path]
        count = arguments[VolumeReaderRole.count]
        poll = arguments[VolumeReaderRole.poll]
        wait = arguments[VolumeReaderRole.wait]
        inotify = arguments[VolumeReaderRole.notify] == .inotify
        sharing = arguments[Sharing.parameter]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let marker = open(path + ".reader-ready", O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard marker >= 0 else { throw .system("create \(path).reader-ready", errno: errno) }
        close(marker)

        // Waited on while it is not there; any other error is an answer.
        var last: Int32 = ENOENT
        let opened = waitFor(timeout: wait, every: poll) { () -> Int32? in
            let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            if fd < 0 { last = errno }
            return fd >= 0 || last != ENOENT ? fd : nil
        }
        let waited = DurationText.format(nanoseconds: Double(wait))
        if sharing == .isolated {
            switch opened {
            case nil: output.check(.volumeIsolated, ok: true, "\(path) of the other pod did not appear within \(waited) (open: \(errnoText(ENOENT)))")
            case let fd? where fd >= 0:
                close(fd)
                output.check(.volumeIsolated, ok: false, "\(path), written in another pod, appeared on this pod's volume")
            default: output.check(.volumeIsolated, ok: false, "\(path), written in another pod, is on this pod's volume: open refused it (\(errnoText(last)))")
            }
            return
        }
        if let fd = opened, fd < 0 {
            return output.check(.volumeLinesSeen, ok: false, "open \(path): \(errnoText(last))", through: .volume)
        }
        guard let fd = opened else {
            output.check(.volumeLinesSeen, ok: false, "\(path) did not appear within \(waited)", through: .volume, awaited: true)
            return
        }
        defer { close(fd) }

        var latencies = LatencyRecorder(capacity: count)
        var state = Tally(expected: count)
        var pending: [UInt8] = []
        pending.reserveCapacity(4096)
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 65536)
        defer { chunk.deallocate() }
        // Without inotify (a seccomp filter, a sandbox without it) the lines are polled for:
        // only volume.inotify fails, and the data checks are judged.
        var watch = Glibc.pollfd(fd: -1, events: Int16(POLLIN), revents: 0)
        var inotifyFailure: String?
        if inotify {
            watch.fd = inotify_init1(Int32(IN_CLOEXEC))
            if watch.fd < 0 {
                inotifyFailure = "inotify_init1: \(errnoText(errno))"
            } else if inotify_add_watch(watch.fd, path, UInt32(IN_MODIFY)) < 0 {
                inotifyFailure = "inotify_add_watch \(path): \(errnoText(errno))"
            }
        }
        defer { if watch.fd >= 0 { close(watch.fd) } }
        let inotify = inotify && inotifyFailure == nil
        let events = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 8)
        defer { events.deallocate() }
        var lastProgress = monotonicNanoseconds()
        // How the lines were learnt, with inotify: woken by an event, or found by the re-read
        // after 100 ms without one (the fallback, which a runtime whose inotify does not cross
        // containers leaves as the only way). Only lines an event announced are timed.
        var wake = Wake.start
        var learnt = (event: 0, fallback: 0)
        while !state.finished {
            let n = read(fd, chunk.baseAddress, chunk.count)
            let seen = monotonicNanoseconds()
            if n < 0 { throw .system("read \(path)", errno: errno) }
            if n == 0 {
                if seen - lastProgress > wait { break }
                if inotify {
                    // Sleep until the writer modifies the file; then drain the events.
                    if Glibc.poll(&watch, 1, 100) > 0 {
                        _ = read(watch.fd, events, 4096)
                        wake = .event
                    } else {
                        wake = .fallback
                    }
                } else {
                    sleep(nanoseconds: poll)
                }
                continue
            }
            lastProgress = seen
            if inotify, wake == .fallback, Glibc.poll(&watch, 1, 10) > 0 {
                // The write raced the timeout: its event follows the data within microseconds.
                // The event fired, though this read was not woken by it (so it is not timed).
                _ = read(watch.fd, events, 4096)
                wake = .raced
            }
            pending.append(contentsOf: chunk[0..<n])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if case .line(_, let stamp) = state.take(VolumeLine.parse(Substring(line))) {
                    switch (inotify, wake) {
                    case (false, _): latencies.recordOneWay(sent: stamp, arrived: seen)
                    case (true, .event):
                        learnt.event += 1
                        latencies.recordOneWay(sent: stamp, arrived: seen)
                    case (true, .raced): learnt.event += 1
                    case (true, .fallback): learnt.fallback += 1
                    case (true, .start): break
                    }
                }
            }
        }
        output.log("Read: \(state.received) lines from \(path)")
        for check in state.checks(path: path) {
            output.check(check.name, ok: check.ok, check.message)
        }
        if let inotifyFailure {
            output.check(.volumeInotify, ok: false, "\(inotifyFailure): the lines were polled for instead")
            return output.invalidMetric(.volumeWriteToVisibleInotify, "no inotify here (\(inotifyFailure)): no line was announced by it")
        }
        if inotify {
            let ok = learnt.event > 0 && learnt.fallback == 0
            output.check(.volumeInotify, ok: ok, "\(learnt.event) lines announced by inotify, \(learnt.fallback) found only by the re-read after 100 ms without an event"
                + (ok ? "" : ": inotify does not fire across containers"))
        }
        output.oneWayMetric(inotify ? .volumeWriteToVisibleInotify : .volumeWriteToVisible, latencies)
    }

    /// What woke the reader before its last read.
    enum Wake { case start, event, raced, fallback }

    /// What the reader has seen so far.
    struct Tally {
        let expected: Int
        var received = 0
        var next = 0
        var outOfOrder = 0
        var corrupt = 0
        var endCount: Int?
        var finished: Bool { endCount != nil }

        /// Counts a line; returns it when it is a good data line.
        mutating func take(_ parsed: VolumeLine.Parsed) -> VolumeLine.Parsed? {
            switch parsed {
            case .corrupt:
                corrupt += 1
                return nil
            case .end(let count):
                endCount = count
                return nil
            case .line(let sequence, _):
                received += 1
                if sequence != next { outOfOrder += 1 }
                next = sequence + 1
                return parsed
            }
        }

        func checks(path: String) -> [(name: CheckName, ok: Bool, message: String)] {
            let seenAll = endCount == expected && received == expected
            let seenMessage = seenAll
                ? "all \(expected) lines seen"
                : "\(received) of \(expected) lines seen" + (endCount == nil ? ", no end marker" : ", end marker says \(endCount!)")
            return [
                (.volumeLinesSeen, seenAll, seenMessage),
                (.volumeInOrder, outOfOrder == 0 && received > 0, outOfOrder == 0 ? "\(received) lines in order" : "\(outOfOrder) lines out of order"),
                (.volumeIntact, corrupt == 0 && received > 0, corrupt == 0 ? "every line's checksum matched" : "\(corrupt) lines corrupt"),
            ]
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
