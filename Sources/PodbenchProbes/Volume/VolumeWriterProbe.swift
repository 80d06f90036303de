import PodbenchProbeInterface

/// The seed's mc1 writer: appends a stamped line to a file on a shared volume every interval.
public struct VolumeWriterProbe: Probe {
    public static let spec = VolumeWriterRole.spec

    let path: String
    let count: Int
    let interval: UInt64
    let wait: UInt64
    let sharing: Sharing

    public init(_ arguments: ProbeArguments) {
        path = arguments[VolumeWriterRole.path]
        count = arguments[VolumeWriterRole.count]
        interval = arguments[VolumeWriterRole.interval]
        wait = arguments[VolumeWriterRole.wait]
        sharing = arguments[Sharing.parameter]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        // The reader announces itself with a marker beside the file, so that no line is
        // written before it follows the file (else the first latencies would include its start).
        let waiting = monotonicNanoseconds()
        let ready: Bool? = waitForFile(path + ".reader-ready", timeout: wait, releasable: true) ? true : nil
        let waited = Release.waited(since: waiting, upTo: wait)
        if sharing == .isolated {
            // A reader in another pod must not be able to announce itself on this volume; if
            // one does, the lines still go out, so that it can confirm the leak.
            output.check(.volumeIsolated, ok: ready == nil, ready == nil ? "no reader from another pod appeared on this volume \(waited)" : "a reader from another pod announced itself at \(path).reader-ready")
            if ready == nil { return }
        }
        guard ready != nil else {
            output.check(.volumeWritten, ok: false, "no reader announced itself at \(path).reader-ready \(waited)")
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw .system("open \(path)", errno: errno) }
        defer { close(fd) }
        var short = 0
        for sequence in 0..<count {
            if sequence > 0 { sleep(nanoseconds: interval) }
            let utc = utcNow()
            let line = VolumeLine.make(sequence: sequence, stamp: monotonicNanoseconds(), utc: utc)
            if !writeAll(fd, line) { short += 1 }
        }
        if !writeAll(fd, VolumeLine.end(count: count)) { short += 1 }
        output.log("Wrote: \(count) lines to \(path)")
        output.check(.volumeWritten, ok: short == 0, short == 0 ? "\(count) lines appended to \(path)" : "\(short) writes to \(path) were short or failed")
    }

    private func writeAll(_ fd: Int32, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in write(fd, bytes.baseAddress, bytes.count) == bytes.count }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
