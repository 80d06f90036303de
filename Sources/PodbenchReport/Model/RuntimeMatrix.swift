import PodbenchProbeInterface

/// Scenario × runtime class (and placement, where the runs have several): the newest of the
/// selected runs for each side by side, so that what a sandboxed runtime does not share shows
/// as the failure it is.
public struct RuntimeMatrix: Sendable {
    /// One column per runtime and runtime class, in the order first seen.
    public var columns: [(label: String, run: RunReport)]
    /// Every scenario of any column, in the order first seen.
    public var scenarios: [String]

    /// The newest complete run of each runtime and runtime class among `runs` (oldest first):
    /// a run still going or interrupted says nothing of the scenarios it did not reach. nil
    /// when there are fewer than two such.
    public init?(_ runs: [RunReport]) {
        var columns: [(label: String, run: RunReport)] = []
        let placed = Set(runs.map { $0.fingerprint.placement ?? .free }).count > 1
        for run in runs.reversed() where run.run.status != .running && run.run.status != .interrupted {
            let label = run.run.runtime + " · " + (run.fingerprint.runtimeClass ?? "default") + (placed ? " · " + (run.fingerprint.placement ?? .free).rawValue : "")
            if !columns.contains(where: { $0.label == label }) { columns.append((label, run)) }
        }
        guard columns.count > 1 else { return nil }
        self.columns = columns.reversed()
        var scenarios: [String] = []
        for column in self.columns {
            for scenario in column.run.scenarios where !scenarios.contains(scenario.name) { scenarios.append(scenario.name) }
        }
        self.scenarios = scenarios
    }

    /// A column's result for a scenario, nil when that run did not have it.
    public func cell(_ scenario: String, _ column: Int) -> ScenarioReport? {
        columns[column].run.scenarios.first { $0.name == scenario }
    }
}
