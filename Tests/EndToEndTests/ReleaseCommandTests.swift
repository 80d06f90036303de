import Foundation
import Testing

/// The local runtime releases the containers that only stay for others once nobody needs
/// them (in podbench's own process: a busy test process could not say when its pods' probes
/// start and end in time). The podman runtime does too (PodmanRuntimeTests).
@Suite struct ReleaseCommandTests {
    @Test func holdersAndIsolatedServersAreReleasedOnceTheirPeersHaveEnded() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "release", "--scenarios", try Self.scenarios(in: scratch), "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        try await Self.expectReleased(db, in: scratch)
    }

    /// A scenario whose pod-a only stays for others, for up to 120 s; pod-b's containers try
    /// for 1 s. Returns the scenarios directory.
    static func scenarios(in scratch: Scratch) throws -> String {
        _ = try scratch.file("scenarios/release.yaml", """
            name: release
            description: Containers that stay for others, released once the others have ended.
            timeout: 300s
            pods:
              - name: pod-a
                containers:
                  - {name: server, probe: echo-server, args: {transport: tcp, port: 5401, expect: isolated, wait: 120s}}
                  - {name: holder, probe: port-holder, args: {transport: tcp, port: 5402, hold: 120s}}
                  - {name: hostname, probe: hostname, args: {name: pod-a, hold: 120s}}
              - name: pod-b
                containers:
                  - {name: client, probe: echo-client, args: {transport: tcp, port: 5401, expect: isolated, wait: 1s}}
                  - {name: contender, probe: port-contender, args: {transport: tcp, port: 5402, expect: isolated, wait: 1s}}
            expect:
              - {check: tcp.isolated, level: MUST}
              - {check: net.port-space, level: MUST}
            """)
        return scratch.url.appendingPathComponent("scenarios").path
    }

    /// The run of `scenarios(in:)` in `db` released pod-a's containers: their messages say so,
    /// and nobody waited out its 120 s.
    static func expectReleased(_ db: String, in scratch: Scratch, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let json = try await podbenchRun(["report", "--db", db, "--json"], in: scratch.url)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any], sourceLocation: sourceLocation)
        let scenario = try #require(((object["runs"] as? [[String: Any]])?.last?["scenarios"] as? [[String: Any]])?.first, sourceLocation: sourceLocation)
        let messages = Dictionary((scenario["checks"] as? [[String: Any]] ?? []).map { ("\($0["name"] ?? "") \($0["source"] ?? "")", $0["message"] as? String ?? "") }) { a, _ in a }
        let held = messages["net.port-held pod-a/holder"] ?? ""
        #expect(held.hasSuffix("held until every container that could try it had ended"), "\(messages)", sourceLocation: sourceLocation)
        let served = messages["tcp.served pod-a/server"] ?? ""
        #expect(served.contains("until every peer that could have come had ended"), "\(messages)", sourceLocation: sourceLocation)
        // The hostname probe included (on a loaded machine the pods may take seconds to start).
        let duration = scenario["duration"] as? Double ?? .infinity
        #expect(duration < 100, "\(duration) s", sourceLocation: sourceLocation)
    }
}
