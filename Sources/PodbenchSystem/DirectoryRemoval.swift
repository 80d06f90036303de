import Foundation

/// Removes a directory tree without following a symbolic link or crossing into another file
/// system: each entry is reached through its parent's descriptor (openat, unlinkat), so nothing
/// a probe left on a volume can redirect the removal to the host's files.
public enum DirectoryRemoval {
    /// Removes `path` and everything under it; entries that a dying process may still be making
    /// are tried again for up to a second.
    public static func remove(_ path: String) {
        let parent = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { return }
        defer { close(parent) }
        let name = (path as NSString).lastPathComponent
        var top = stat()
        guard fstatat(parent, name, &top, AT_SYMLINK_NOFOLLOW) == 0, top.st_mode & S_IFMT == S_IFDIR else {
            unlinkat(parent, name, 0)
            return
        }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        for attempt in 0..<20 {
            let names = entries(of: fd)
            if names.isEmpty { break }
            if attempt > 0 { usleep(50_000) }
            for entry in names { remove(entry, in: fd, device: top.st_dev) }
        }
        unlinkat(parent, name, AT_REMOVEDIR)
    }

    private static func remove(_ name: String, in parent: Int32, device: dev_t) {
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_dev == device else { return }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            unlinkat(parent, name, 0)
            return
        }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        for entry in entries(of: fd) { remove(entry, in: fd, device: device) }
        unlinkat(parent, name, AT_REMOVEDIR)
    }

    /// The names in the directory open at `fd` ("." and ".." left out).
    private static func entries(of fd: Int32) -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let directory = fdopendir(copy) else { return [] }
        defer { closedir(directory) }
        rewinddir(directory) // The copy shares its offset with `fd`.
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
