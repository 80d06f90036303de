/// The lock-holder role: its spec, parameters, checks.
public enum LockHolderRole {
    public static let spec = ProbeSpec(
        role: "lock-holder",
        summary: "Takes an exclusive flock or fcntl lock on a file on a volume and holds it.",
        parameters: [path, LockKind.parameter, hold],
        checks: [.volumeLockHeld]
    )
    public static let path = Parameter.path("path", "the file to lock, inside a volume mount")
    public static let hold = Parameter.duration("hold", default: "20s", "how long to hold the lock at most, waiting for the contender to try it")
}

/// The lock-contender role: its spec, parameters, checks.
public enum LockContenderRole {
    public static let spec = ProbeSpec(
        role: "lock-contender",
        summary: "Tries to take the lock another container holds on a file of a shared volume; expects to be refused.",
        parameters: [path, LockKind.parameter, wait],
        checks: [.volumeFlock, .volumeFcntlLock],
        checkSelection: CheckSelection(LockKind.parameter) { $0 == .flock ? [.volumeFlock] : [.volumeFcntlLock] }
    )
    public static let path = Parameter.path("path", "the locked file, inside a volume mount")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the holder", scaling: .waiting)
}

/// The advisory lock kinds.
public enum LockKind: String, CaseIterable, Sendable {
    case flock, fcntl

    public static let parameter = Parameter<LockKind>.choice("lock", default: .flock, "flock (BSD) or fcntl (POSIX record) locks")
}

extension CheckName {
    public static let volumeLockHeld = CheckName("volume.lock-held")
    /// The contender's flock was refused.
    public static let volumeFlock = CheckName("volume.flock")
    /// The contender's fcntl lock was refused.
    public static let volumeFcntlLock = CheckName("volume.fcntl-lock")
}
