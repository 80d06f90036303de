import Foundation

/// The file systems mounted in podbench's own mount namespace under a directory podbench owns
/// (the tmpfs of a CRI pod's `medium: Memory` emptyDir): detached before the directory goes.
enum Mounts {
    /// Mount points under `directory`, deepest first.
    static func under(_ directory: String) -> [String] {
        guard let table = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return [] }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return table.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 1 else { return nil }
            let point = unescaped(String(fields[1]))
            return point.hasPrefix(prefix) ? point : nil
        }.sorted { $0.count > $1.count }
    }

    /// Detaches every mount under `directory` (lazily: a process still using one keeps it until
    /// it lets go); what was detached.
    @discardableResult
    static func detach(under directory: String) -> [String] {
        under(directory).filter { umount2($0, Int32(MNT_DETACH)) == 0 }
    }

    /// /proc/self/mounts writes a space, tab, newline and backslash as `\040` and the like.
    private static func unescaped(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3, let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
