import PodbenchProbeInterface
import CPodbench

/// A ping-pong through a file on a shared volume mapped MAP_SHARED in two containers: a store
/// in one is seen by a load in the other, both spinning on their word (no system call in the
/// round trip). Pinned to one CPU (`cpu: same-cpu`) each yields the CPU as it spins, or the
/// other could only answer when the scheduler's time slice ends.
public struct MmapPingPongProbe: Probe {
    public static let spec = MmapPingPongRole.spec

    static let size = 4096
    /// Word 0: the client's ping (a round number, or `stop`); word 1: the server's answer.
    static let stop = UInt64.max

    let path: String
    let server: Bool
    let rounds: Int
    let warmup: Int
    let wait: UInt64
    /// Whether both ends share one CPU: then a spin yields it to the other.
    let yields: Bool

    public init(_ arguments: ProbeArguments) {
        path = arguments[MmapPingPongRole.path]
        server = arguments[MmapPingPongRole.side] == .server
        rounds = arguments[MmapPingPongRole.rounds]
        warmup = arguments[MmapPingPongRole.warmup]
        wait = arguments[MmapPingPongRole.wait]
        yields = arguments[Placement.parameter] == .sameCPU
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let words = try map()
        defer { munmap(words, Self.size) }
        let ping = words, pong = words + 1
        if server {
            // The client's first ping is 1; each answer echoes the ping.
            // Gives up when no new ping came for `wait` (a client that never came, or died).
            var last: UInt64 = 0
            var lastChange = monotonicNanoseconds()
            var spins = 0
            while true {
                let seen = podbench_load_acquire(ping)
                if seen == Self.stop { break }
                if seen != last {
                    last = seen
                    podbench_store_release(pong, seen)
                    spins = 0
                    continue
                }
                spins += 1
                if yields { sched_yield() }
                if spins & 0xffff == 0 {
                    let now = monotonicNanoseconds()
                    if spins == 0x10000 { lastChange = now }
                    if now &- lastChange > wait { break }
                }
            }
            output.check(.volumeMmapShared, ok: last != 0, last != 0 ? "answered \(last) pings through the mapping of \(path)" : "no ping arrived through \(path) within \(DurationText.format(nanoseconds: Double(wait)))")
            return
        }
        var roundTrips = LatencyRecorder(capacity: rounds)
        let total = warmup + rounds
        var answered = 0
        for round in 1...total {
            let value = UInt64(round)
            let start = monotonicNanoseconds()
            podbench_store_release(ping, value)
            var spins = 0
            while podbench_load_acquire(pong) != value {
                spins += 1
                if yields { sched_yield() }
                // The first answer may wait for the server to start; later ones never should.
                if spins & 0xffff == 0, monotonicNanoseconds() &- start > wait { break }
            }
            let end = monotonicNanoseconds()
            guard podbench_load_acquire(pong) == value else { break }
            if round > warmup { roundTrips.record(end &- start) }
            answered += 1
        }
        podbench_store_release(ping, Self.stop)
        output.check(.volumeMmapShared, ok: answered == total, "\(answered) of \(total) stores answered through the mapping of \(path) (\(warmup) warm-up)")
        output.metric(.volumeMmapRoundTrip, roundTrips)
    }

    /// Maps the file: the server creates it (and the client waits for it to be whole).
    private func map() throws(ProbeError) -> UnsafeMutablePointer<UInt64> {
        let fd: Int32
        if server {
            fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else { throw .system("create \(path)", errno: errno) }
            guard ftruncate(fd, off_t(Self.size)) == 0 else {
                let code = errno
                close(fd)
                throw .system("size \(path)", errno: code)
            }
        } else {
            // Waited on while it is not there (or not sized yet); any other error is final.
            var last = "open \(path): \(errnoText(ENOENT))"
            let opened = waitFor(timeout: wait) { () -> Int32? in
                let fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
                guard fd >= 0 else {
                    let code = errno
                    last = "open \(path): \(errnoText(code))"
                    return code == ENOENT ? nil : -1
                }
                var info = stat()
                if fstat(fd, &info) == 0, info.st_size >= Self.size { return fd }
                last = "\(path) has \(info.st_size) bytes, not yet the server's \(Self.size)"
                close(fd)
                return nil
            }
            guard let opened, opened >= 0 else { throw .failed(last + (opened == nil ? " (the server's file did not come within \(DurationText.format(nanoseconds: Double(wait))))" : "")) }
            fd = opened
        }
        defer { close(fd) }
        guard let address = mmap(nil, Self.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), address != MAP_FAILED else {
            throw .system("mmap \(path)", errno: errno)
        }
        return address.assumingMemoryBound(to: UInt64.self)
    }
}

import Glibc
