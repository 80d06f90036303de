/// The text of a small file (a /proc or /sys entry), its first `limit` bytes read at once; nil
/// when it cannot be read or is empty.
public func contents(of path: String, limit: Int = 8192) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: limit)
    let n = read(fd, &bytes, bytes.count)
    return n > 0 ? String(decoding: bytes[0..<n], as: UTF8.self) : nil
}

/// The first line of a small file, without its newline; nil when it cannot be read or is
/// empty.
public func firstLine(of path: String) -> String? {
    guard let line = contents(of: path, limit: 256)?.prefix(while: { $0 != "\n" }), !line.isEmpty else { return nil }
    return String(line)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
