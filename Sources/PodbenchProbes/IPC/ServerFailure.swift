import PodbenchProbeInterface

/// A server's word to its clients that it could not make its channel: the reason, in POSIX
/// shared memory of its own (`IPCChannelKind.failureName`) that the server holds while its
/// clients may look, then removes. A client that reads it stops waiting, and its checks are not
/// judged, with the server's reason. Where /dev/shm is not the pod's, no client sees it, and
/// the judge says the same from the server's error.
enum ServerFailure {
    /// Leaves `reason` for the clients of `key`; false when it could not be left.
    static func leave(key: Int, reason: String) -> Bool {
        let name = IPCChannelKind.failureName(key)
        let fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let written = reason.utf8.withContiguousStorageIfAvailable { write(fd, $0.baseAddress, $0.count) } ?? -1
        guard written == reason.utf8.count else {
            shm_unlink(name)
            return false
        }
        return true
    }

    /// The reason the server of `key` left, if it left one.
    static func read(key: Int) -> String? {
        let fd = shm_open(IPCChannelKind.failureName(key), O_RDONLY | O_CLOEXEC, 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return count > 0 ? String(decoding: bytes[..<count], as: UTF8.self) : nil
    }

    static func remove(key: Int) {
        shm_unlink(IPCChannelKind.failureName(key))
    }
}

import Glibc
