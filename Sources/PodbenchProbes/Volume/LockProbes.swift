import PodbenchProbeInterface

/// Takes an advisory lock (flock or fcntl) on a file on a shared volume and holds it.
public struct LockHolderProbe: Probe {
    public static let spec = LockHolderRole.spec

    let path: String
    let kind: LockKind
    let hold: UInt64

    public init(_ arguments: ProbeArguments) {
        path = arguments[LockHolderRole.path]
        kind = arguments[LockKind.parameter]
        hold = arguments[LockHolderRole.hold]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw .system("open \(path)", errno: errno) }
        defer { close(fd) }
        guard kind.lock(fd, wait: true) else {
            return output.check(.volumeLockHeld, ok: false, "\(kind.rawValue) on \(path): \(errnoText(errno))")
        }
        // Tell the contender the lock is taken, and hold it until the contender has tried (or
        // `hold` passes).
        touch(path + ".locked")
        let tried = waitForFile(path + ".tried", timeout: hold)
        output.check(.volumeLockHeld, ok: true, "\(kind.rawValue) lock on \(path) held " + (tried ? "until the contender tried it" : "for \(DurationText.format(nanoseconds: Double(hold))); no contender tried it"))
    }
}

/// Tries to take the lock the holder holds, through its own mount of the same volume: it must
/// be refused.
public struct LockContenderProbe: Probe {
    public static let spec = LockContenderRole.spec

    let path: String
    let kind: LockKind
    let wait: UInt64

    public init(_ arguments: ProbeArguments) {
        path = arguments[LockContenderRole.path]
        kind = arguments[LockKind.parameter]
        wait = arguments[LockContenderRole.wait]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        let check: CheckName = kind == .flock ? .volumeFlock : .volumeFcntlLock
        guard waitForFile(path + ".locked", timeout: wait) else {
            return output.check(check, ok: false, "the holder's \(path).locked did not appear within \(DurationText.format(nanoseconds: Double(wait)))", through: .volume)
        }
        let fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .system("open \(path)", errno: errno) }
        defer { close(fd) }
        let taken = kind.lock(fd, wait: false)
        let code = errno
        touch(path + ".tried")
        // Only "would block" says that the other container holds it; any other error says nothing.
        let refused = !taken && [EWOULDBLOCK, EAGAIN, EACCES].contains(code)
        let seen = taken ? "took the \(kind.rawValue) lock on \(path) that the other container holds"
            : "the \(kind.rawValue) lock on \(path) was refused (\(errnoText(code)))" + (refused ? ": the other container holds it" : "")
        output.check(check, ok: refused, seen)
    }
}

/// Locking with the advisory lock kinds.
extension LockKind {
    /// Takes an exclusive lock on the whole file; without `wait`, fails at once when it is held.
    func lock(_ fd: Int32, wait: Bool) -> Bool {
        switch self {
        case .flock:
            return podbench_flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == 0
        case .fcntl:
            var region = Glibc.flock()
            region.l_type = Int16(F_WRLCK)
            region.l_whence = Int16(SEEK_SET)
            return podbench_fcntl_lock(fd, wait ? F_SETLKW : F_SETLK, &region) == 0
        }
    }
}

import CPodbench
import Glibc
