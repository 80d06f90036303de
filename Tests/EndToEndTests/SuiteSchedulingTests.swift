import Foundation
import GRDB
import Testing

/// `run` lets scenarios that only wait (isolation, hostnames, processes) wait together, and
/// runs every scenario that measures between containers alone.
@Suite struct SuiteSchedulingTests {
    @Test func waitingScenariosRunTogetherAndMeasuringOnesAlone() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let waiting = ["pod-isolation-ipc", "shared-hostname", "separate-process-namespaces"]
        let measuring = ["localhost-tcp", "ipc-sysv-msg"]
        let run = try await podbenchRun(["run"] + measuring + waiting + ["--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(run.output.contains("[1-3/5] pod-isolation-ipc, separate-process-namespaces, shared-hostname running…"), "\(run.output)")
        let rows = try DatabaseQueue(path: db).readSync { db in
            try Row.fetchAll(db, sql: "SELECT scenario, (julianday(startedAt) - 2440587.5) * 86400.0 AS start, duration FROM scenarioResult")
        }
        let spans = Dictionary(uniqueKeysWithValues: rows.map { ($0["scenario"] as String, ($0["start"] as Double)...(($0["start"] as Double) + ($0["duration"] as Double))) })
        // Each waiting scenario waited while the first one did.
        for name in waiting.dropFirst() {
            #expect(try #require(spans[name]).overlaps(try #require(spans[waiting[0]])), "\(name) and \(waiting[0]) ran one after the other: \(spans)")
        }
        // Nothing ran beside a measurement.
        for name in measuring {
            let span = try #require(spans[name])
            #expect(spans.filter { $0.key != name && $0.value.overlaps(span) }.isEmpty, "\(name) ran beside others: \(spans)")
        }
        // The runtime's own figures are the lone scenarios'.
        let podStart = try DatabaseQueue(path: db).readSync { db in
            try Row.fetchAll(db, sql: "SELECT s.scenario, m.count, m.invalid FROM metric m JOIN scenarioResult s ON s.id = m.scenarioResultId WHERE m.name = 'pod.start'")
        }
        for row in podStart {
            let scenario: String = row["scenario"]
            if waiting.contains(scenario) {
                #expect((row["invalid"] as String?)?.contains("the pods ran beside other waiting scenarios'") == true, "\(scenario)")
            } else {
                #expect(row["count"] as Int == 1 && row["invalid"] as String? == nil, "\(scenario)")
            }
        }
    }
}
