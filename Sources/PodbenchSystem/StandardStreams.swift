import Foundation
import PodbenchProbeInterface
import Synchronization

/// Standard output and standard error, written with write(2) and never crashing: a stream that
/// is closed (EPIPE, EBADF) or full (ENOSPC) is noted, not trapped on as FileHandle's writes do.
///
/// The first failure of standard output is kept and nothing more is written to it; the command
/// still finishes (a run is still stored), and the entry point then says what failed and exits
/// 3 (`outputFailure`). Standard error is best effort: where it cannot be written there is
/// nowhere left to say so.
public enum StandardStreams {
    private static let failure = Mutex<Int32?>(nil)

    /// Call first thing in main. A standard stream podbench was started without (`>&-`) is
    /// held open on /dev/null, so that no file podbench opens later (the database) takes its
    /// number and gets written as standard output; a closed standard output counts as failed
    /// (EBADF) from the start.
    public static func secure() {
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            let null = open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if null >= 0 && null != fd {
                dup2(null, fd)
                close(null)
            }
            if fd == STDOUT_FILENO { failure.withLock { $0 = EBADF } }
        }
    }

    /// Writes `text` to standard output, unless an earlier write failed.
    public static func output(_ text: String) {
        guard failure.withLock({ $0 == nil }) else { return }
        if let error = writeAll(STDOUT_FILENO, text) {
            failure.withLock { if $0 == nil { $0 = error } }
        }
    }

    /// Writes `text` to standard error; a failure is dropped.
    public static func error(_ text: String) {
        _ = writeAll(STDERR_FILENO, text)
    }

    /// Writes `text` to standard output; throws `Failure` once standard output has failed, so
    /// that long work for it (an export) stops.
    public static func write(_ text: String) throws(Failure) {
        output(text)
        if let code = outputFailure { throw Failure(code: code) }
    }

    /// Standard output could not be written: the entry point says so once (`describeFailure`).
    public struct Failure: Error {
        public var code: Int32
    }

    /// The errno of standard output's first failed write, if one failed.
    public static var outputFailure: Int32? {
        failure.withLock { $0 }
    }

    /// What the entry point says when standard output failed: its reason, in podbench's words.
    public static func describeFailure(_ code: Int32) -> String {
        "cannot write to standard output: \(errnoText(code))"
    }

    /// Writes all of `text` to `fd`, going on after EINTR and short writes; a descriptor that
    /// takes nothing (a full pipe, a stopped reader) for `stall` is a failure (ETIMEDOUT).
    /// The errno of a failure, else nil.
    public static func writeAll(_ fd: Int32, _ text: String, stall: Duration = .seconds(10)) -> Int32? {
        var text = text
        return text.withUTF8 { bytes in
            var offset = 0
            var stalledSince: ContinuousClock.Instant?
            while offset < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n < 0 && errno == EAGAIN {
                    let now = ContinuousClock.now
                    if let since = stalledSince, now - since > stall { return ETIMEDOUT }
                    stalledSince = stalledSince ?? now
                    var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, 100)
                    continue
                }
                guard n > 0 else { return n == 0 ? EIO : errno }
                stalledSince = nil
                offset += n
            }
            return nil
        }
    }
}
