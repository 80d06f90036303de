import Foundation
import PodbenchProbeInterface
import Testing

@Suite struct NamespaceIdentityTests {
    /// On Linux every judged kind is identified by the nsfs inode its link names, and the
    /// kernel by its boot id.
    @Test func linuxNamespacesAreIdentifiedByTheirInodes() throws {
        let identity = NamespaceIdentity.current()
        for kind in [NamespaceIdentity.Kind.net, .ipc, .uts, .pid, .mnt] {
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\(kind.rawValue)")
            let id = try #require(identity[kind], "\(kind): \(identity.whyUnidentified(kind) ?? "")")
            #expect(link == "\(kind.rawValue):[\(id.split(separator: ":").last!)]")
            #expect(identity.whyUnidentified(kind) == nil)
        }
        #expect(identity.kernel?.count == 36)
        let osRelease = try String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(identity.release?.hasPrefix(osRelease + " #") == true, "\(identity.release ?? "nil")")
    }
}
