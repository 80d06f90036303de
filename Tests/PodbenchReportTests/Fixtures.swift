import Foundation
import PodbenchCore
import PodbenchStore
import PodbenchTestSupport
import Testing

/// A results database file in a temporary directory, removed afterwards.
final class TestDatabase {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("podbench-report-\(UUID().uuidString.prefix(8))")
    let store: ResultStore

    init() throws {
        store = try ResultStore(path: directory.appendingPathComponent("podbench.sqlite").path)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

/// The repository's scenarios with these names.
func repositoryScenarios(_ names: String...) throws -> [Scenario] {
    let all = try ScenarioLoader.load(paths: [repository.appendingPathComponent("Scenarios").path])
    return names.compactMap { name in all.first { $0.name == name } }
}

/// A scenario of one check and one metric whose names are whatever a test needs.
func namedScenario(_ name: String, check: String) -> Scenario {
    let container = ContainerSpec(name: "c", probe: "sysv-producer", args: [], volumeMounts: [])
    return Scenario(name: name, description: "d", tags: [], timeout: 1_000_000_000, pods: [PodSpec(name: "p", volumes: [], containers: [container])], expectations: [Expectation(check: check, level: .must)], file: "x.yaml")
}

extension ResultStore {
    /// A finished run of hand-made results.
    @discardableResult
    func writeRun(_ results: [ScenarioResult], fingerprint: Fingerprint = SyntheticHistory.fingerprint, host: String = "synthetic", status: RunStatus = .passed, repetitions: Int = 1) throws -> Int64 {
        let runId = try beginRun(runtime: fingerprint.runtime, host: host, fingerprint: fingerprint, repetitions: repetitions)
        for result in results { try save(result, runId: runId) }
        try finishRun(runId, status: status)
        return runId
    }
}

/// The suites that compute over thousands of synthetic samples, run one test at a time: on two
/// cores the concurrency pool has two threads, and tests that only compute would otherwise hold
/// both, delaying the timers of every other test in the process.
@Suite(.serialized) enum CPUHeavyTests {}
