import Foundation
import GRDB
import Testing

/// `run --cpu-idle`: whether idle CPUs poll during the run (the kernel's CPU latency held at
/// 0 us by podbench, for the run only) or idle as the system has them; the run's fingerprint says
/// which, so that runs of one are never judged against runs of the other.
@Suite(.enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: "/dev/cpu_dma_latency"), "needs root and /dev/cpu_dma_latency"))
struct CPUIdleCommandTests {
    @Test func byDefaultIdleCPUsPollForTheRunAndTheFingerprintSaysSo() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        // The fingerprint says poll only where the hold was taken (the hold itself:
        // CPULatencyHoldTests; watching this process for it races its end on loaded cores).
        let run = try await podbenchRun(["run", "localhost-tcp", "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(try Self.fingerprints(db) == [#""cpuIdle":"poll""#])
        let report = try await podbenchRun(["report", "--db", db])
        #expect(report.output.contains("CPU idle") && report.output.contains("poll"), "\(report.output)")
    }

    @Test func systemLeavesIdleCPUsAloneAndIsAnotherFingerprint() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let system = try await podbenchRun(["run", "localhost-tcp", "--cpu-idle", "system", "--db", db]) { running in
            for _ in 0..<50 {
                #expect(!Self.holds(running.processIdentifier))
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        #expect(system.status == 0, "\(system.output)\(system.error)")
        let polled = try await podbenchRun(["run", "localhost-tcp", "--db", db])
        #expect(polled.status == 0)
        #expect(try Self.fingerprints(db) == [#""cpuIdle":"system""#, #""cpuIdle":"poll""#])
        // The second run's reference is not the first: they are not alike.
        let compare = try await podbenchRun(["compare", "1", "2", "--db", db])
        #expect(compare.output.contains("CPU idle: system → poll"), "\(compare.output)")
    }

    @Test func anUnknownModeIsBadInput() async throws {
        let run = try await podbenchRun(["run", "localhost-tcp", "--cpu-idle", "sometimes"])
        #expect(run.status == 2)
        #expect(run.error.contains("--cpu-idle"), "\(run.error)")
    }

    /// Whether process `pid` has /dev/cpu_dma_latency open.
    private static func holds(_ pid: pid_t) -> Bool {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        return fds.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")) == "/dev/cpu_dma_latency" }
    }

    /// Each run's fingerprint's `cpuIdle`, as stored, in run order.
    private static func fingerprints(_ db: String) throws -> [String] {
        try DatabaseQueue(path: db).readSync { db in
            try String.fetchAll(db, sql: "SELECT fingerprint FROM run ORDER BY id")
        }.map { $0.firstMatch(of: #/"cpuIdle":"[a-z]+"/#).map { String($0.output) } ?? "none" }
    }
}
