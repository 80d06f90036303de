import Foundation
import PodbenchCRI
import Testing

/// What an endpoint is, and why one cannot be reached, found on real paths and sockets before
/// any runtime is asked (the end-to-end tests talk to a real containerd).
@Suite struct CRIEndpointParsingTests {
    @Test func anEndpointIsAUnixSocketsAbsolutePath() throws {
        #expect(CRIEndpoint("unix:///run/containerd/containerd.sock")?.path == "/run/containerd/containerd.sock")
        #expect(CRIEndpoint("/run/crio/crio.sock")?.description == "unix:///run/crio/crio.sock")
        #expect(CRIEndpoint("tcp://10.0.0.1:1234") == nil)
        #expect(CRIEndpoint("unix://relative.sock") == nil)
    }

    func reason(connecting path: String) async -> CRIUnreachable.Reason? {
        do {
            _ = try await CRIEndpoint(path)!.connect { _ in 0 }
            return nil
        } catch {
            return (error as? CRIUnreachable)?.reason
        }
    }

    @Test func aPathThatIsNoListeningSocketIsNamedForWhatItIs() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("podbench-cri-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(await reason(connecting: directory.path) == .notASocket("a directory"))
        #expect(await reason(connecting: directory.appendingPathComponent("none.sock").path) == .noSuchPath)
        // A socket bound but not listening: what a runtime that stopped leaves.
        let socketPath = directory.appendingPathComponent("stale.sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            _ = socketPath.utf8CString.withUnsafeBytes { bytes.copyMemory(from: $0) }
        }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        try #require(bound == 0)
        #expect(await reason(connecting: socketPath) == .nothingListening)
    }
}
