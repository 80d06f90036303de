import Foundation
import GRDB
import Testing

/// `run --placement`: a run per placement, each in its fingerprint, each metric between
/// containers stored and reported with the placement its ends had and their CPUs.
@Suite struct PlacementCommandTests {
    @Test func aPlacementListRunsEachAndTheReportsSayWhereEachEndRan() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "localhost-tcp", "--placement", "same-cpu,free", "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(run.output.contains("placement same-cpu") && run.output.contains("placement free"))
        #expect(run.output.contains("  net-tcp/client [same-cpu]\n    tcp.connect ") && run.output.contains("\n    tcp.round-trip "), "the metrics under their container and placement: \(run.output)")
        let rows = try DatabaseQueue(path: db).readSync { db in
            try Row.fetchAll(db, sql: "SELECT m.placement, m.cpus, r.fingerprint FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId JOIN run r ON r.id = s.runId WHERE m.name = 'tcp.round-trip' ORDER BY r.id")
        }
        #expect(rows.map { $0["placement"] as String? } == ["same-cpu", "free"])
        #expect((rows.first?["fingerprint"] as String?)?.contains(#""placement":"same-cpu""#) == true)
        #expect((rows.first?["cpus"] as String?)?.contains(#""container":"net-tcp\/server""#) == true)

        let json = try await podbenchRun(["report", "--db", db, "--json", "--run", "1"], in: scratch.url)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        let metrics = runs.flatMap { ($0["scenarios"] as? [[String: Any]] ?? []).flatMap { $0["metrics"] as? [[String: Any]] ?? [] } }
        let placed = try #require(metrics.first { $0["name"] as? String == "tcp.round-trip" }?["placement"] as? [String: Any])
        #expect(placed["placement"] as? String == "same-cpu")
        #expect((placed["sides"] as? [[String: Any]])?.count == 2)
        // The same-cpu run: each end pinned, on one CPU.
        let html = try await podbenchRun(["report", "--db", db, "--run", "1", "--html", "report.html"], in: scratch.url)
        #expect(html.status == 0)
        let page = try String(contentsOf: scratch.url.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(page.contains("<th>CPUs</th><td>net-tcp/server CPU "), "each end's CPU beside the figures")
    }

    /// A container with one CPU cannot give each end its own: the metric is free, and says why.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset"), "needs taskset"))
    func withOneCPUCrossCPUIsFreeAndSaysWhy() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await runCommand("/usr/bin/taskset", ["-c", "0", podbench, "run", "localhost-tcp", "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(run.output.contains("  net-tcp/client [free]\n"), "\(run.output)")
        #expect(run.output.flattened.contains("net-tcp/server: the container may use only CPU 0: there is no second CPU for the other side"), "\(run.output)")
    }

    @Test func anUnknownPlacementIsBadInput() async throws {
        let run = try await podbenchRun(["run", "localhost-tcp", "--placement", "cross-cpu,nearby"])
        #expect(run.status == 2)
        #expect(run.error.contains("--placement 'nearby' is not a placement; use cross-cpu, same-cpu or free"), "\(run.error)")
    }
}
