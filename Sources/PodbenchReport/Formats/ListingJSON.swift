import Foundation
import PodbenchCore
import PodbenchStore

/// The `--json` forms of `history`, `list`, `baseline show` and `compare`: what their text
/// says, for scripts (arrays and objects with sorted keys, dates in ISO 8601).
public enum ListingJSON {
    /// `podbench history --json`: the runs, oldest first.
    public static func history(_ runs: [RunRecord], baselines: Set<Int64>) throws -> String {
        try encode(runs.map { run in
            HistoryRun(id: run.id ?? 0, startedAt: run.startedAt, finishedAt: run.finishedAt, runtime: run.runtime, host: run.host, kernel: run.kernel,
                       podbenchVersion: run.podbenchVersion, status: run.status.rawValue, exitStatus: run.exitStatus, duration: run.duration,
                       fingerprint: run.environment.digest, baseline: baselines.contains(run.id ?? 0))
        })
    }

    /// `podbench list --json`: the scenarios.
    public static func scenarios(_ scenarios: [Scenario]) throws -> String {
        try encode(scenarios.map { scenario in
            var probes: [String] = []
            for probe in scenario.pods.flatMap(\.containers).map(\.probe) where !probes.contains(probe) { probes.append(probe) }
            return ListedScenario(name: scenario.name, description: scenario.description, tags: scenario.tags, pods: scenario.pods.map(\.name), probes: probes,
                                  checks: scenario.expectations.map { ListedCheck(check: $0.check, level: $0.level.rawValue) })
        })
    }

    /// `podbench baseline show --json`: the baselines.
    public static func baselines(_ baselines: [BaselineRecord]) throws -> String {
        try encode(baselines.map { ListedBaseline(runtime: $0.runtime, host: $0.host, runId: $0.runId, setAt: $0.setAt) })
    }

    /// `podbench compare --json`: the comparison as the JSON report has it.
    public static func comparison(_ comparison: Comparison) throws -> String {
        try encode(JSONReport.ComparisonDocument(comparison))
    }

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONReport.encoder(pretty: true).encode(value), as: UTF8.self)
    }

    struct HistoryRun: Encodable {
        var id: Int64
        var startedAt: Date
        var finishedAt: Date?
        var runtime, host, kernel, podbenchVersion, status: String
        var exitStatus: Int32?
        var duration: Double?
        var fingerprint: String
        var baseline: Bool
    }

    struct ListedScenario: Encodable {
        var name, description: String
        var tags, pods, probes: [String]
        var checks: [ListedCheck]
    }

    struct ListedCheck: Encodable {
        var check, level: String
    }

    struct ListedBaseline: Encodable {
        var runtime, host: String
        var runId: Int64
        var setAt: Date
    }
}
