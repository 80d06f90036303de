import Foundation
import GRDB
import Testing

/// A CRI endpoint podbench cannot reach: each case named, with what to do, exit 3 before
/// anything runs, and no run stored.
@Suite struct CRIEndpointTests {
    /// A socket bound to `path` that nobody listens on.
    static func deadSocket(_ path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        try #require(bound == 0, "bind \(path): \(String(cString: strerror(errno)))")
        return descriptor
    }

    @Test func eachUnreachableEndpointSaysWhyAndWhatToDo() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        _ = try scratch.file("regular", "")
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("directory"), withIntermediateDirectories: true)
        let dead = try Self.deadSocket(scratch.url.appendingPathComponent("dead.sock").path)
        defer { close(dead) }
        let cases = [
            ("none.sock", "no such file: is the runtime running? Start containerd"),
            ("regular", "it is a regular file, not a socket: --cri-endpoint names the runtime's socket"),
            ("directory", "it is a directory, not a socket"),
            ("dead.sock", "nothing listens on it (connection refused): the runtime that made the socket has stopped"),
        ]
        for (name, why) in cases {
            let endpoint = "unix://" + scratch.url.appendingPathComponent(name).path
            let run = try await podbenchRun(["run", "ipc-sysv-msg", "ipc-posix-mq", "--runtime", "cri", "--cri-endpoint", endpoint, "--db", db])
            #expect(run.status == 3, "\(name): \(run.output)\(run.error)")
            #expect(run.error.contains("cannot reach the runtime at \(endpoint)") && run.error.contains(why), "\(name): \(run.error)")
            let image = try await podbenchRun(["image", "build", "--probe", "/nonexistent", "--into", "containerd", "--cri-endpoint", endpoint])
            #expect(image.status == 3 && image.error.contains(why) && !image.output.contains("loaded"), "\(name): \(image.output)\(image.error)")
        }
        // Nothing stored: no error run per scenario, no run at all.
        let runs = try DatabaseQueue(path: db).readSync { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM run") }
        #expect(runs == 0)
    }

    /// A root-only socket, as an ordinary user: permission denied, and to run as root.
    @Test(.enabled(if: OrdinaryUserTests.canRunAsNobody, "needs root, setpriv and a build directory nobody can reach"))
    func aSocketTheUserMayNotUseSaysToRunAsRoot() async throws {
        let scratch = try Scratch()
        let dead = try Self.deadSocket(scratch.url.appendingPathComponent("root.sock").path)
        defer { close(dead) }
        chmod(scratch.url.path, 0o700)
        let own = try Scratch()
        chown(own.url.path, 65534, 65534)
        let run = try await runCommand("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", podbench, "run", "ipc-sysv-msg", "--runtime", "cri",
                                                            "--cri-endpoint", "unix://" + scratch.url.appendingPathComponent("root.sock").path, "--db", own.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(run.error.contains("permission denied: the runtime's socket is root's; run podbench as root"), "\(run.error)")
    }
}
