import CPodbench
import Foundation

/// Processes the adapter starts: posix_spawn, so that nothing runs between fork and exec.
enum Spawn {
    /// Starts `argv` with `stdio` as its descriptors 0, 1 and 2 (nil: the adapter's own),
    /// closing every other descriptor, in a session of its own with `newSession`; its pid.
    static func start(_ argv: [String], stdio: [Int32]? = nil, newSession: Bool = false) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdio {
            for (target, source) in stdio.enumerated() { posix_spawn_file_actions_adddup2(&actions, source, Int32(target)) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID, 0x80 in glibc: declared for _GNU_SOURCE only, which Swift does not see.
        if newSession { posix_spawnattr_setflags(&attributes, 0x80) }
        let arguments = argv.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let failed = posix_spawn(&pid, argv[0], &actions, &attributes, arguments, environ)
        guard failed == 0 else { throw AdapterError("cannot run \(argv[0]): \(String(cString: strerror(failed)))") }
        return pid
    }

    /// Waits for `pid`: its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return 255 }
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Runs `argv` to its end: its status and what it wrote to standard output and error.
    static func output(_ argv: [String]) throws -> (status: Int32, output: String) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw AdapterError("pipe: \(String(cString: strerror(errno)))") }
        let pid: pid_t
        do {
            pid = try start(argv, stdio: [open("/dev/null", O_RDONLY | O_CLOEXEC), ends[1], ends[1]])
        } catch {
            close(ends[0])
            close(ends[1])
            throw error
        }
        close(ends[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(ends[0], &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            output += buffer[..<count]
        }
        close(ends[0])
        return (wait(pid), String(decoding: output, as: UTF8.self))
    }

    /// Becomes `argv` (execv); returns only when that failed, with the status to exit with.
    static func replace(with argv: [String]) -> Int32 {
        let arguments = argv.map { strdup($0) } + [nil]
        execv(argv[0], arguments)
        FileHandle.standardError.write(Data("podbench-runsc: cannot run \(argv[0]): \(String(cString: strerror(errno)))\n".utf8))
        return 127
    }
}
