import Foundation
@testable import PodbenchSystem
import Testing

/// What podbench mounted under a run directory of its own (a CRI pod's tmpfs) is found and
/// detached before the directory goes, mounts stacked on one point too.
@Suite struct MountsTests {
    @Test func stackedAndNestedMountsAreFoundAndDetached() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("podbench-mounts-test-\(UUID().uuidString.prefix(8))").path
        let volume = (root as NSString).appendingPathComponent("pod/volumes/memory")
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
        defer {
            for _ in 0..<3 { umount2(volume, Int32(MNT_DETACH)) }
            try? FileManager.default.removeItem(atPath: root)
        }
        for _ in 0..<2 { try #require(mount("tmpfs", volume, "tmpfs", 0, "size=1m") == 0, "mount: errno \(errno)") }
        #expect(Mounts.under(root) == [volume])
        // Without the mount table, which can skip lines while others mount beside podbench.
        #expect(Mounts.walked(root) == [volume])
        #expect(Mounts.detach(under: root) == [volume])
        #expect(Mounts.under(root).isEmpty)
        var info = stat(), parent = stat()
        #expect(stat(volume, &info) == 0 && stat(root, &parent) == 0 && info.st_dev == parent.st_dev, "both stacked mounts are gone")
    }
}
