/// The first line of a small file (a /proc or /sys entry), without its newline; nil when it
/// cannot be read or is empty.
public func firstLine(of path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: 256)
    let n = read(fd, &bytes, bytes.count)
    guard n > 0 else { return nil }
    let line = bytes[0..<n].prefix { $0 != UInt8(ascii: "\n") }
    return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
