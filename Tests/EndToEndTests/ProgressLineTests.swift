import Foundation
import Testing

/// The live line of `podbench run`: on a terminal (a pseudo-terminal from util-linux's
/// `script`), redrawn in place with the running scenario, its time against its timeout and
/// how many are left; in a log, a plain `running…` line per scenario and no escape codes.
@Suite struct ProgressLineTests {
    @Test func onATerminalTheLineTicksAgainstTheTimeoutAndCountsWhatIsLeft() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let command = [podbench, "run", "shared-hostname", "ipc-message-queue", "--scale", "3", "--db", db].map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let run = try await runCommand("/usr/bin/script", ["--quiet", "--flush", "--return", "--command", command, "/dev/null"], environment: ["COLUMNS": "120", "NO_COLOR": "1"])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        let redraws = run.output.components(separatedBy: "\r\u{1B}[K").filter { $0.hasPrefix("[2/2] ipc-message-queue ") }
        #expect(redraws.count >= 2, "redrawn while it runs: \(run.output.debugDescription)")
        #expect(redraws.allSatisfy { $0.contains(" of 1.50m · 0 left") || $0.contains(" of 90.0s · 0 left") }, "\(redraws)")
        let elapsed = Set(redraws.compactMap { $0.split(separator: " ").dropFirst(2).first })
        #expect(elapsed.count >= 2, "the time moves: \(elapsed)")
        #expect(run.output.contains("[1/2] shared-hostname ") && run.output.contains(" · 1 left"), "\(run.output.debugDescription)")
        #expect(run.output.contains("PASS  ipc-message-queue"))
    }

    @Test func inALogEachScenarioHasOneRunningLineAndNoEscapes() async throws {
        let scratch = try Scratch()
        let run = try await podbenchRun(["run", "shared-hostname", "ipc-message-queue", "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(!run.output.contains("\u{1B}["))
        let lines = run.output.split(separator: "\n")
        #expect(lines.filter { $0 == "[1/2] shared-hostname running…" }.count == 1, "\(run.output)")
        #expect(lines.filter { $0 == "[2/2] ipc-message-queue running…" }.count == 1, "\(run.output)")
    }
}
