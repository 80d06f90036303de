import PodbenchProbeInterface

/// Creates an empty file (a marker another container waits for); how it failed, if it did.
@discardableResult
func touch(_ path: String) -> String? {
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
    guard fd >= 0 else { return "create \(path): \(errnoText(errno))" }
    close(fd)
    return nil
}

/// Waits for a file (a peer's marker) to exist; false when it did not within `timeout` (or,
/// `releasable`, before the runtime released the probe).
func waitForFile(_ path: String, timeout: UInt64, every pause: UInt64 = 1_000_000, releasable: Bool = false) -> Bool {
    waitFor(timeout: timeout, every: pause, releasable: releasable) { access(path, F_OK) == 0 ? true : nil } != nil
}

/// The text of a NUL-terminated C buffer.
func string(fromCString buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

import Glibc
