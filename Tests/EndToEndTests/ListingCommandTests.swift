import Foundation
import Testing

/// `--json` on history, list, baseline show and compare; compare names the scenarios one run
/// did not run instead of calling their checks absent.
@Suite struct ListingCommandTests {
    func json(_ arguments: [String]) async throws -> Any {
        let run = try await podbenchRun(arguments)
        try #require(run.status == 0, "\(arguments): \(run.output)\(run.error)")
        return try JSONSerialization.jsonObject(with: Data(run.output.utf8), options: .fragmentsAllowed)
    }

    @Test func everyListingHasJSONAndCompareNamesWhatWasNotRun() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let first = try await podbenchRun(["run", "ipc-sysv-msg", "shared-volume", "--db", db])
        try #require(first.status == 0, "\(first.output)\(first.error)")
        #expect(try await json(["compare", "--json", "--db", db]) is NSNull, "nothing to compare with: null")
        let second = try await podbenchRun(["run", "ipc-sysv-msg", "abstract-socket", "--db", db])
        try #require(second.status == 0, "\(second.output)\(second.error)")
        _ = try await podbenchRun(["baseline", "set", "1", "--db", db])

        let runs = try #require(try await json(["history", "--json", "--db", db]) as? [[String: Any]])
        #expect(runs.map { $0["id"] as? Int } == [1, 2])
        #expect(runs.map { $0["status"] as? String } == ["passed", "passed"])
        #expect(runs.map { $0["baseline"] as? Bool } == [true, false])
        #expect(runs.allSatisfy { $0["exitStatus"] as? Int == 0 && ($0["fingerprint"] as? String)?.count == 16 })
        let baselines = try #require(try await json(["baseline", "show", "--json", "--db", db]) as? [[String: Any]])
        #expect(baselines.count == 1 && baselines.first?["runId"] as? Int == 1 && baselines.first?["runtime"] as? String == "local")
        let scenarios = try #require(try await json(["list", "--json"]) as? [[String: Any]])
        let queue = try #require(scenarios.first { $0["name"] as? String == "ipc-message-queue" })
        #expect(queue["probes"] as? [String] == ["sysv-producer", "sysv-consumer"])
        #expect((queue["checks"] as? [[String: String]])?.contains { $0["check"] == "sysv.all-consumed" && $0["level"] == "MUST" } == true)

        let comparison = try #require(try await json(["compare", "1", "2", "--json", "--db", db]) as? [String: Any])
        #expect(comparison["notRun"] as? [String] == ["shared-volume"])
        #expect(comparison["notInBase"] as? [String] == ["abstract-socket"])
        #expect((comparison["conformanceChanges"] as? [Any])?.isEmpty == true, "\(comparison)")
        #expect((comparison["metrics"] as? [[String: Any]])?.allSatisfy { $0["scenario"] as? String == "ipc-sysv-msg" } == true)
        let text = try await podbenchRun(["compare", "1", "2", "--db", db])
        #expect(text.output.contains("not run in run 2, not compared: shared-volume"), "\(text.output)")
        #expect(!text.output.contains("absent"), "\(text.output)")
    }
}
