import Foundation
import PodbenchReport
import Synchronization
import Testing

/// Report files are written whole or not at all, and what is not a file is written through or
/// refused, never replaced (the second reliability round, finding 1).
@Suite struct ReportFileTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "podbench-reportfile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func kind(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test func aSymbolicLinkStaysAndTheFileItLeadsToIsReplacedKeepingItsMode() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/real.xml", link = directory + "/link.xml"
        try ReportFile.write("before\n", to: file)
        chmod(file, 0o640)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        try ReportFile.write("after\n", to: link)
        #expect(kind(link) == S_IFLNK)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "after\n")
        var info = stat()
        #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["link.xml", "real.xml"], "nothing left beside them")
    }

    @Test func devNullIsWrittenThroughAndStaysADevice() throws {
        try ReportFile.write("report\n", to: "/dev/null")
        #expect(kind("/dev/null") == S_IFCHR)
    }

    @Test func aFullDeviceIsAFailureNamingENOSPC() throws {
        let error = #expect(throws: ReportFile.Failure.self) { try ReportFile.write(String(repeating: "x", count: 1 << 16), to: "/dev/full") }
        #expect(error?.description.contains("ENOSPC") == true)
    }

    @Test func aFIFOIsWrittenThroughToItsReaderAndStaysAFIFO() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fifo = directory + "/out.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        // A thread of its own: the test's task blocks while it writes.
        let read = Mutex<String?>(nil), done = DispatchSemaphore(value: 0)
        Thread {
            let fd = open(fifo, O_RDONLY)
            var bytes = [UInt8](repeating: 0, count: 256), text: [UInt8] = []
            while case let n = Foundation.read(fd, &bytes, bytes.count), n > 0 { text += bytes.prefix(n) }
            close(fd)
            read.withLock { $0 = String(decoding: text, as: UTF8.self) }
            done.signal()
        }.start()
        try ReportFile.write("through the FIFO\n", to: fifo)
        done.wait()
        #expect(read.withLock { $0 } == "through the FIFO\n")
        #expect(kind(fifo) == S_IFIFO)
    }

    /// A block device (a disk), any other character device (opening one can start a watchdog),
    /// a directory, a socket and a link to nothing are refused before anything is written.
    @Test func whatIsNeitherAFileNorAStreamIsRefusedAndLeftAlone() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let disk = directory + "/disk", random = directory + "/random", dangling = directory + "/dangling"
        #expect(mknod(disk, S_IFBLK | 0o600, makedev(7, 200)) == 0)
        #expect(mknod(random, S_IFCHR | 0o600, makedev(1, 8)) == 0)
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: directory + "/nothing")
        for (path, reason) in [(disk, "block device"), (random, "a device (1:8)"), (directory, "a directory"), (dangling, "symbolic link to nothing")] {
            #expect(ReportFile.problem(writing: path)?.contains(reason) == true, "\(path): \(ReportFile.problem(writing: path) ?? "accepted")")
            #expect(throws: ReportFile.Failure.self) { try ReportFile.write("x", to: path) }
        }
        #expect(kind(disk) == S_IFBLK && kind(random) == S_IFCHR && kind(dangling) == S_IFLNK)
        #expect(!FileManager.default.fileExists(atPath: directory + "/nothing"))
    }

    private func makedev(_ major: UInt32, _ minor: UInt32) -> dev_t {
        dev_t(minor & 0xff) | dev_t(major & 0xfff) << 8 | dev_t(minor & ~0xff) << 12 | dev_t(major & ~0xfff) << 32
    }
}
