import Foundation
import PodbenchCore
import PodbenchStore
import PodbenchTestSupport

// podbench-synthetic-db DB RUNS [SCENARIO_DIR]: writes RUNS synthetic runs of every scenario
// into DB through the store's API, for the report speed benchmark, and makes the first one the
// baseline: reports then compare the newest run with it (its histograms read, every metric
// judged) and the trends hold their runs against a baseline outside their window, as a nightly
// database that has run for a while does.
let arguments = CommandLine.arguments
guard arguments.count >= 3, let runs = Int(arguments[2]), runs > 0 else {
    FileHandle.standardError.write(Data("usage: podbench-synthetic-db DB RUNS [SCENARIO_DIR]\n".utf8))
    exit(2)
}
let scenarios = try ScenarioLoader.load(paths: [arguments.count > 3 ? arguments[3] : "Scenarios"])
let store = try ResultStore(path: arguments[1])
var history = SyntheticHistory(seed: 1)
// Sixteen runs' worth of results, each a few percent faster or slower (nightly noise), drawn
// from at random: drawing two thousand samples for every metric of every run would make the
// benchmark's set-up, not the reports, the slow part.
let pool = (0..<16).map { _ in
    let slowdown = 1 + Double.random(in: -0.05...0.05, using: &history.generator)
    return scenarios.map { history.result(of: $0, slowdown: slowdown, count: 2000) }
}
let start = Date().addingTimeInterval(-Double(runs) * 3600)
for index in 0..<runs {
    let results = pool[Int.random(in: 0..<pool.count, using: &history.generator)]
    let runId = try SyntheticHistory.write(results, to: store, fingerprint: SyntheticHistory.fingerprint, startedAt: start.addingTimeInterval(Double(index) * 3600))
    if index == 0 { try store.setBaseline(runId: runId) }
    if index % 100 == 99 { print("\(index + 1) runs") }
}
