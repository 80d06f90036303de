import PodbenchProbeInterface

/// Looks for another container's process in /proc: with shareProcessNamespace the containers
/// of a pod share one PID namespace and see each other's processes; without it, each sees only
/// its own.
public struct ProcessPeerProbe: Probe {
    public static let spec = ProcessPeerRole.spec

    let tag: String
    let peer: String
    let sync: String?
    let shared: Bool
    let wait: UInt64
    let hold: UInt64
    let meet: UInt64

    public init(_ arguments: ProbeArguments) {
        tag = arguments[ProcessPeerRole.tag]
        peer = arguments[ProcessPeerRole.peer]
        sync = arguments[ProcessPeerRole.sync]
        shared = arguments[Sharing.parameter] == .shared
        wait = arguments[ProcessPeerRole.wait]
        hold = arguments[ProcessPeerRole.hold]
        meet = arguments[ProcessPeerRole.meet]
    }

    public func run(_ output: ProbeOutput) throws(ProbeError) {
        // The check means something only if /proc shows this container's own PID namespace.
        let own = (try? Self.readlink("/proc/self")) ?? ""
        guard own == String(getpid()) else {
            output.check(.pidOwnProcesses, ok: false, "/proc is not of the container's PID namespace")
            return output.check(.pidNamespace, ok: false, "/proc/self is '\(own)', not this process (\(getpid())): /proc is not of the container's PID namespace")
        }
        ownProcesses(output)
        if let sync {
            // The rendezvous failed, not the PID namespace: without it, looking proves nothing.
            if let failure = touch(sync + "/" + tag) {
                return output.inconclusive(.pidNamespace, "not judged: the rendezvous on \(sync) failed: \(failure)")
            }
            // Meeting is not looking: containers may start seconds apart on a busy node.
            guard waitForFile(sync + "/" + peer, timeout: meet, every: 10_000_000) else {
                return output.inconclusive(.pidNamespace, "not judged: the peer's marker \(sync)/\(peer) did not appear on the rendezvous volume within \(DurationText.format(nanoseconds: Double(meet)))")
            }
        }
        let looking = monotonicNanoseconds()
        let needle = Array("--tag\0\(peer)\0".utf8)
        var visible = 0
        // After the rendezvous the peer stays until this container has looked, so one look
        // that does not find it is conclusive; without one, look for `wait`.
        let found = waitFor(timeout: sync != nil && !shared ? 0 : wait, every: 10_000_000) { () -> Int32? in
            let pids = Self.processes()
            visible = pids.count
            return pids.first { Self.commandLine(of: $0).contains(needle) }
        }
        let seen = found.map { "sees the peer '\(peer)' as pid \($0) among \(visible) processes" }
            ?? "sees \(visible) process\(visible == 1 ? "" : "es"), none of them the peer '\(peer)'"
        output.check(.pidNamespace, ok: (found != nil) == shared, seen + ((found != nil) == shared ? "" : shared ? ": the PID namespace is not shared" : ": the PID namespace is shared"))
        // Stay visible until the peer has looked, or for `hold` from when the looking began.
        if let sync { touch(sync + "/" + tag + ".looked") }
        let elapsed = monotonicNanoseconds() &- looking
        guard elapsed < hold else { return }
        if let sync {
            _ = waitForFile(sync + "/" + peer + ".looked", timeout: hold - elapsed, every: 5_000_000)
        } else {
            sleep(nanoseconds: hold - elapsed)
        }
        // The init of a shared PID namespace (where no pause process is, the first container's
        // probe is PID 1: under gVisor) outlives the peer, which its end would kill.
        if shared, getpid() == 1, let found {
            let left = hold &- min(hold, monotonicNanoseconds() &- looking)
            _ = waitFor(timeout: left, every: 5_000_000) { Self.hasEnded(found) ? true : nil }
        }
    }

    /// Whether a process is gone or a zombie (its state in /proc/PID/stat, after the command
    /// name in parentheses).
    static func hasEnded(_ pid: Int32) -> Bool {
        guard let stat = contents(of: "/proc/\(pid)/stat", limit: 512), let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].drop { $0 == " " }.first == "Z"
    }

    /// A pod sees only its own processes: every process in /proc but its PID namespace's
    /// init (the pod's infrastructure process, or this container's init) is a probe. A pod in
    /// the host's PID namespace sees the host's daemons.
    func ownProcesses(_ output: ProbeOutput) {
        let pids = Self.processes()
        let foreign = pids.filter { $0 != 1 }.compactMap { pid -> String? in
            let name = Self.name(of: pid)
            return name == "podbench-probe" || name.isEmpty ? nil : "\(name) (\(pid))"
        }
        let shown = foreign.prefix(5).joined(separator: ", ") + (foreign.count > 5 ? ", …" : "")
        output.check(.pidOwnProcesses, ok: foreign.isEmpty, foreign.isEmpty
            ? "sees \(pids.count + 1) processes, all of them the pod's"
            : "sees \(pids.count + 1) processes, \(foreign.count) not of the pod: \(shown)")
    }

    /// A process's command name (`/proc/PID/comm`), empty when it is gone.
    static func name(of pid: Int32) -> String {
        firstLine(of: "/proc/\(pid)/comm") ?? ""
    }

    static func readlink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let n = Glibc.readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { throw ProbeError.system("readlink \(path)", errno: errno) }
        return string(fromCString: Array(buffer[0..<n]) + [0])
    }

    static func processes() -> [Int32] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var pids: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let pid = Int32(name), pid != getpid() { pids.append(pid) }
        }
        return pids
    }

    static func commandLine(of pid: Int32) -> [UInt8] {
        let fd = open("/proc/\(pid)/cmdline", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let n = read(fd, &bytes, bytes.count)
        return n > 0 ? Array(bytes[0..<n]) : []
    }
}

extension Array where Element == UInt8 {
    func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

import Glibc
