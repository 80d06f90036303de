/// A signal as a report names it: its number, its name, and what it usually means for a
/// probe (a bus error is memory mapped from a file that could not be backed).
public enum SignalText {
    private static let known: [Int32: (name: String, meaning: String?)] = [
        1: ("SIGHUP", nil), 2: ("SIGINT", nil), 3: ("SIGQUIT", nil), 4: ("SIGILL", "an illegal instruction"),
        6: ("SIGABRT", "aborted"), 7: ("SIGBUS", "a bus error: memory mapped from a file that could not be backed, /dev/shm or the volume full?"),
        8: ("SIGFPE", nil), 9: ("SIGKILL", nil), 11: ("SIGSEGV", "a segmentation fault"), 13: ("SIGPIPE", nil),
        14: ("SIGALRM", nil), 15: ("SIGTERM", nil), 24: ("SIGXCPU", "its CPU time limit"), 25: ("SIGXFSZ", "its file size limit"),
        31: ("SIGSYS", "a system call its seccomp filter forbids"),
    ]

    /// `9 (SIGKILL)`, `7 (SIGBUS: a bus error: …)`, or the number alone.
    public static func describe(_ signal: Int32) -> String {
        guard let known = known[signal] else { return "\(signal)" }
        return "\(signal) (\(known.name)" + (known.meaning.map { ": " + $0 } ?? "") + ")"
    }

    /// What an exit status above 128 says when a runtime reports a container killed by a
    /// signal as 128 + N (podman, the CRI): `(128 + 7: SIGBUS: …)`; nil for other statuses.
    public static func asExitStatus(_ status: Int32) -> String? {
        guard status > 128, status < 160, let known = known[status - 128] else { return nil }
        return "(128 + \(status - 128): \(known.name)" + (known.meaning.map { ": " + $0 } ?? "") + ")"
    }
}
