import Foundation

/// The file systems mounted in podbench's own mount namespace under a directory podbench owns
/// (the tmpfs of a CRI pod's `medium: Memory` emptyDir): detached before the directory goes.
public enum Mounts {
    /// Mount points under `directory`, deepest first: those the mount table lists, and those
    /// found by walking the tree (a directory on another device than its parent). The table
    /// alone is not enough: read while other processes mount and unmount (a container engine
    /// beside podbench), it can skip lines.
    public static func under(_ directory: String) -> [String] {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let table = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        let listed = table.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count > 1 else { return nil }
            let point = unescaped(String(fields[1]))
            return point.hasPrefix(prefix) ? point : nil
        }
        return Set(listed + walked(directory)).sorted { $0.count > $1.count }
    }

    /// The topmost mount points in the tree under `directory`, found by device (symbolic links
    /// are not followed).
    public static func walked(_ directory: String) -> [String] {
        var top = stat()
        guard lstat(directory, &top) == 0, top.st_mode & S_IFMT == S_IFDIR else { return [] }
        var points: [String] = []
        var pending = [directory]
        while let next = pending.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: next) else { continue }
            for name in names {
                let path = (next as NSString).appendingPathComponent(name)
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
                if info.st_dev != top.st_dev { points.append(path) } else { pending.append(path) }
            }
        }
        return points
    }

    /// Detaches every mount under `directory` (lazily: a process still using one keeps it until
    /// it lets go; each mount stacked on a point in turn); what was detached.
    @discardableResult
    public static func detach(under directory: String) -> [String] {
        under(directory).filter { point in
            var detached = 0
            while detached < 8, umount2(point, Int32(MNT_DETACH)) == 0 { detached += 1 }
            return detached > 0
        }
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
