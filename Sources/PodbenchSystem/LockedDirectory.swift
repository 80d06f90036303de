import Foundation
import Synchronization

/// A private directory (mode 0700) that a run holds locked for as long as it uses it: an
/// advisory lock (flock) on the directory itself. `podbench cleanup` leaves a locked directory
/// alone, and the kernel lets go of the lock when the run's process ends, however it ends.
///
/// The directory is never visible unlocked: it is made under a hidden name (`.name-XXXXXX`),
/// which `podbench cleanup` never looks at, locked there, marked as podbench's, and only then
/// renamed. It is removed while the lock is held: the lock lives as long as the directory.
///
/// The mark is a file, `.podbench`, holding the directory's own identity (its device and
/// inode): `podbench cleanup` removes no directory without it, whatever its name, and a copy
/// of one is not podbench's. The processes a run starts in it carry the same identity in their
/// environment (`processMarker`), by which cleanup finds those a killed podbench left running.
public final class LockedDirectory: Sendable {
    /// Where the directory is.
    public let path: String
    /// Its device and inode, `DEV:INO`: what its mark and its processes' environment hold.
    public let identity: String
    private let descriptor: Mutex<Int32?>

    private init(path: String, identity: String, descriptor: Int32) {
        self.path = path
        self.identity = identity
        self.descriptor = Mutex(descriptor)
    }

    /// The mark's name in a directory.
    public static let markName = ".podbench"

    /// The environment variable that names the directory's identity in the processes a run
    /// starts for it.
    public static let processVariable = "PODBENCH_POD_DIRECTORY"

    /// `PODBENCH_POD_DIRECTORY=DEV:INO`: the environment entry of the processes of this
    /// directory's pods.
    public var processMarker: String { "\(Self.processVariable)=\(identity)" }

    /// Makes and locks a new directory from a mkdtemp template (`.../name-XXXXXX`).
    public static func make(_ template: String) throws -> LockedDirectory {
        let parent = (template as NSString).deletingLastPathComponent
        let hidden = (parent as NSString).appendingPathComponent("." + (template as NSString).lastPathComponent)
        var bytes = Array(hidden.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw POSIXError.current }
        let madePath = String(cString: made)
        guard let descriptor = lock(madePath) else {
            let error = POSIXError.current
            DirectoryRemoval.remove(madePath)
            throw error
        }
        let identity = Self.identity(of: descriptor)
        let marked = LockedDirectory(path: madePath, identity: identity, descriptor: descriptor)
        let mark = open(madePath + "/" + markName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard mark >= 0 else {
            let error = POSIXError.current
            marked.remove()
            throw error
        }
        let text = identity + "\n"
        let written = text.withCString { Foundation.write(mark, $0, strlen($0)) }
        close(mark)
        let path = (parent as NSString).appendingPathComponent(String((madePath as NSString).lastPathComponent.dropFirst()))
        guard written == text.utf8.count, rename(madePath, path) == 0 else {
            let error = POSIXError.current
            marked.remove()
            throw error
        }
        marked.descriptor.withLock { $0 = nil }
        return LockedDirectory(path: path, identity: identity, descriptor: descriptor)
    }

    /// `DEV:INO` of the directory open at `fd`.
    private static func identity(of fd: Int32) -> String {
        var info = stat()
        _ = fstat(fd, &info)
        return "\(info.st_dev):\(info.st_ino)"
    }

    /// Removes the directory and everything in it (`DirectoryRemoval`), then lets go of the
    /// lock; once, however often and from however many threads it is called: a second caller
    /// waits until the first is done.
    public func remove() {
        descriptor.withLock { descriptor in
            guard let fd = descriptor else { return }
            // Whatever is still mounted inside (a CRI pod's tmpfs a sandbox on its way out
            // handed back) is detached: the tree is podbench's, proven by the lock. A mount
            // that is back by the time the tree is removed is detached again, up to 5 times.
            for _ in 0..<5 {
                _ = Mounts.detach(under: path)
                DirectoryRemoval.remove(path)
                guard access(path, F_OK) == 0, !Mounts.under(path).isEmpty else { break }
            }
            close(fd)
            descriptor = nil
        }
    }

    /// Lets go of the lock and leaves the directory as it is (a cleanup's dry run).
    public func release() {
        descriptor.withLock { descriptor in
            if let fd = descriptor { close(fd) }
            descriptor = nil
        }
    }

    deinit {
        remove()
    }

    /// Takes the lock of a directory left by a run that is gone, to remove it; nil while a run
    /// holds it, or when it is not a directory podbench made (it has no mark, or a mark of
    /// another directory's).
    public static func abandoned(_ path: String) -> LockedDirectory? {
        guard let fd = lock(path) else { return nil }
        // Its run may have removed it between the open and the lock.
        var held = stat(), named = stat()
        guard fstat(fd, &held) == 0, held.st_nlink > 0, lstat(path, &named) == 0, named.st_ino == held.st_ino, named.st_dev == held.st_dev,
              case let identity = identity(of: fd), mark(in: fd) == identity else {
            close(fd)
            return nil
        }
        return LockedDirectory(path: path, identity: identity, descriptor: fd)
    }

    /// What the mark in the directory open at `fd` says, if it has one (a regular file of a
    /// line, not a symbolic link).
    private static func mark(in fd: Int32) -> String? {
        let file = openat(fd, markName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = read(file, &bytes, bytes.count)
        guard count > 0 else { return nil }
        return String(decoding: bytes.prefix(count), as: UTF8.self).split(separator: "\n").first.map(String.init)
    }

    /// Whether a run holds `directory`'s lock now.
    public static func isHeld(_ directory: String) -> Bool {
        LockFile.isHeld(directory)
    }

    /// Opens `directory` (not through a symbolic link) and takes its lock without waiting.
    private static func lock(_ directory: String) -> Int32? {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}

extension POSIXError {
    /// The error `errno` names now.
    public static var current: POSIXError {
        POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
}
