import Foundation

/// The command line of a process, its arguments joined by spaces ("" once it is gone).
public func commandLine(of pid: Int32) -> String {
    String(decoding: (readProc("/proc/\(pid)/cmdline") ?? []).map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
}

/// Running processes whose command line contains `text`.
public func pids(mentioning text: String) -> [Int32] {
    let all = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
    return all.filter { commandLine(of: $0).contains(text) }
}

/// A /proc file's bytes, read to the end: /proc reports a size of 0, so readers that trust
/// the size (FileManager.contents) get nothing.
public func readProc(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(fd, &chunk, chunk.count)
        guard n > 0 else { break }
        bytes += chunk[0..<n]
    }
    return bytes
}

/// The namespaces (network, IPC, UTS, mount) a process is in: each one's link
/// (`net:[4026531833]`) and the /proc path to it; empty once the process is gone.
public func namespaces(of pid: Int32) -> [String: String] {
    var found: [String: String] = [:]
    for kind in ["net", "ipc", "uts", "mnt"] {
        let path = "/proc/\(pid)/ns/\(kind)"
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: path) { found[link] = path }
    }
    return found
}

/// Starts a program directly (posix_spawn), standard output discarded; returns its pid.
public func spawn(_ path: String, _ arguments: [String]) throws -> pid_t {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let status = posix_spawn(&pid, path, &actions, nil, argv, environ)
    guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
    return pid
}

/// Kills and reaps a process started with `spawn`.
public func stop(_ pid: pid_t) {
    kill(pid, SIGKILL)
    var status: Int32 = 0
    waitpid(pid, &status, 0)
}
