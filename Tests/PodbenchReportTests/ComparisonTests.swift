import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchReport
import PodbenchStore
import PodbenchSystem
import PodbenchTestSupport
import Testing

extension CPUHeavyTests {
    @Suite struct ComparisonTests {
        /// A baseline and eight nightly runs with a few percent of noise each.
        func nightlyHistory(seed: UInt64) throws -> (TestDatabase, [Scenario], SyntheticHistory) {
            let database = try TestDatabase()
            let scenarios = try repositoryScenarios("ipc-message-queue", "shared-volume")
            var history = SyntheticHistory(seed: seed)
            for index in 0..<9 {
                let noise = 1 + Double.random(in: -0.06...0.06, using: &history.generator)
                let id = try history.writeRun(scenarios, to: database.store, fingerprint: SyntheticHistory.fingerprint, slowdown: noise)
                if index == 0 { try database.store.setBaseline(runId: id) }
            }
            return (database, scenarios, history)
        }

        func compareLatest(_ store: ResultStore) throws -> Comparison {
            let latest = try #require(try ReportLoader(store: store).load(runId: nil))
            return try #require(try RegressionGate(store: store).evaluate(latest))
        }

        @Test(arguments: [11, 12, 13, 14, 15] as [UInt64])
        func noiseAloneDoesNotTripTheGate(seed: UInt64) throws {
            var (database, scenarios, history) = try nightlyHistory(seed: seed)
            try history.writeRun(scenarios, to: database.store, fingerprint: SyntheticHistory.fingerprint, slowdown: 1.05)
            let comparison = try compareLatest(database.store)
            #expect(comparison.base.id == 1, "the baseline, not the run before")
            let regressed = comparison.regressions.map { "\($0.key.label): \($0.judgement?.reason ?? "")" }
            #expect(regressed.isEmpty)
            #expect(comparison.conformanceChanges.isEmpty)
        }

        @Test(arguments: [21, 22, 23] as [UInt64])
        func aRealTwofoldSlowdownTripsTheGate(seed: UInt64) throws {
            var (database, scenarios, history) = try nightlyHistory(seed: seed)
            let slow = history.result(of: scenarios[0], slowdown: 2)
            let runId = try database.store.writeRun([slow, history.result(of: scenarios[1])])
            let comparison = try compareLatest(database.store)
            #expect(comparison.new.id == runId)
            let regressed = Set(comparison.regressions.map(\.key.scenario))
            #expect(regressed == ["ipc-message-queue"])
            for metric in comparison.regressions {
                #expect((metric.judgement?.p50Change ?? 0) > 0.8)
            }
            // On a terminal the verdict is red, its escape not stripped as control characters.
            let colored = ComparisonText(console: Console(isTerminal: true, environment: [:])).render(comparison)
            #expect(colored.contains("\u{1B}[31mregressed"))
        }

        @Test func aCheckThatPassedAndNowFailsIsReportedFirst() throws {
            var (database, scenarios, history) = try nightlyHistory(seed: 31)
            try database.store.writeRun([history.result(of: scenarios[0], failing: ["sysv.in-order"]), history.result(of: scenarios[1])], status: .failed)
            let comparison = try compareLatest(database.store)
            let first = try #require(comparison.conformanceChanges.first)
            #expect(first.scenario == "ipc-message-queue" && first.check == "sysv.in-order")
            #expect(first.from == .pass && first.to == .fail && first.isNewFailure)
            #expect(comparison.newFailures.count == 1)
            let text = ComparisonText(console: Console(isTerminal: false)).render(comparison)
            #expect(text.contains("✗ ipc-message-queue sysv.in-order (MUST): pass → fail"))
            #expect(text.contains("podbench: 1 new failure, 0 regressions"))
        }

        @Test func aComparisonAcrossEnvironmentsSaysSo() throws {
            var (database, scenarios, history) = try nightlyHistory(seed: 41)
            var other = SyntheticHistory.fingerprint
            other.kernel = "6.12.0"
            try history.writeRun(scenarios, to: database.store, fingerprint: other)
            let comparison = try compareLatest(database.store)
            #expect(comparison.fingerprintDifferences == ["kernel: 6.1.0 → 6.12.0"])
            #expect(ComparisonText(console: Console(isTerminal: false)).render(comparison).contains("different environment"))
        }

        @Test func runsFromAnotherEnvironmentAreNotTakenForNoise() throws {
            let database = try TestDatabase()
            let scenarios = try repositoryScenarios("ipc-message-queue")
            var history = SyntheticHistory(seed: 45)
            var elsewhere = SyntheticHistory.fingerprint
            elsewhere.cpuModel = "Slower CPU"
            let base = try history.writeRun(scenarios, to: database.store, fingerprint: SyntheticHistory.fingerprint)
            try database.store.setBaseline(runId: base)
            // Slow runs on other hardware under the same host name: were they history, a 2x
            // slowdown here would look like nothing new.
            for _ in 0..<6 { try history.writeRun(scenarios, to: database.store, fingerprint: elsewhere, slowdown: 3) }
            try history.writeRun(scenarios, to: database.store, fingerprint: SyntheticHistory.fingerprint, slowdown: 2)
            #expect(try compareLatest(database.store).regressions.count == 2)
        }

        @Test func withoutABaselineTheRunBeforeIsTheReference() throws {
            let (database, _, _) = try nightlyHistory(seed: 51)
            try database.store.clearBaseline(runtime: "local", host: "synthetic")
            let latest = try #require(try ReportLoader(store: database.store).load(runId: nil))
            let reference = try #require(try RegressionGate(store: database.store).reference(for: latest))
            #expect(reference.run.id == latest.id - 1)
            #expect(!reference.isBaseline)
        }

        @Test func theRunBeforeIsTheOneWithTheSameFingerprint() throws {
            let database = try TestDatabase()
            let scenarios = try repositoryScenarios("shared-volume")
            var history = SyntheticHistory(seed: 52)
            var elsewhere = SyntheticHistory.fingerprint
            elsewhere.kernel = "6.12.0"
            let here = try history.writeRun(scenarios, to: database.store, fingerprint: SyntheticHistory.fingerprint)
            try history.writeRun(scenarios, to: database.store, fingerprint: elsewhere)
            try history.writeRun(scenarios, to: database.store, fingerprint: SyntheticHistory.fingerprint)
            let latest = try #require(try ReportLoader(store: database.store).load(runId: nil))
            #expect(try RegressionGate(store: database.store).reference(for: latest)?.run.id == here)
            // The first run of an environment has none.
            let other = try #require(try ReportLoader(store: database.store).load(runId: 2))
            #expect(try RegressionGate(store: database.store).reference(for: other) == nil)
        }

        @Test func aBaselineNewerThanTheRunIsNotItsReference() throws {
            let (database, _, _) = try nightlyHistory(seed: 53)
            try database.store.setBaseline(runId: 9)
            let run = try #require(try ReportLoader(store: database.store).load(runId: 5))
            let reference = try #require(try RegressionGate(store: database.store).reference(for: run))
            #expect(reference.run.id == 4 && !reference.isBaseline)
            let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter(ids: [5]))
            #expect(report.comparison?.base.id == 4)
        }

        /// What the gate fails, the reports show: with no baseline the run before is the
        /// reference of both.
        @Test func withoutABaselineTheReportsShowTheRegressionTheGateFails() throws {
            var (database, scenarios, history) = try nightlyHistory(seed: 54)
            try database.store.clearBaseline(runtime: "local", host: "synthetic")
            try database.store.writeRun([history.result(of: scenarios[0], slowdown: 2), history.result(of: scenarios[1])])
            let gated = try compareLatest(database.store)
            #expect(gated.base.id == 9 && !gated.againstBaseline)
            #expect(Set(gated.regressions.map(\.key.scenario)) == ["ipc-message-queue"])

            let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter())
            let comparison = try #require(report.comparison)
            #expect(comparison.base.id == 9)
            #expect(comparison.regressions.map(\.key) == gated.regressions.map(\.key))
            let slowTrend = try #require(report.trends.first { $0.key.name == "sysv.round-trip" })
            #expect(slowTrend.points.last?.regressed == true)
            #expect(slowTrend.points.dropLast().allSatisfy { !$0.regressed })

            let markdown = MarkdownReport().render(report)
            #expect(markdown.contains("### Against previous run 9"))
            #expect(markdown.contains("| regressed |"))
            let html = HTMLReport().render(report)
            #expect(html.contains("<h2>Against previous run 9</h2>"))
            #expect(html.contains("<tr class=\"regressed\">"))
            #expect(html.contains("figure class=\"trend regressed\""))
            #expect(TerminalReport(console: Console(isTerminal: false)).render(report).contains("against previous run 9: 0 new failures, \(gated.regressions.count) regressions"))
        }

        /// `run --fail-on-regression` judges the comparison its report shows rather than
        /// computing it again, unless the report was made with another tolerance.
        @Test func theGateReusesTheReportsComparisonOfTheNewestRun() throws {
            var (database, scenarios, history) = try nightlyHistory(seed: 55)
            try database.store.writeRun([history.result(of: scenarios[0], slowdown: 2)])
            var builder = ReportBuilder(store: database.store, generator: "t")
            builder.tolerance = 0.2
            var report = try builder.build(RunFilter())
            let latest = try #require(report.latest)
            #expect(report.comparison?.regressions.isEmpty == false)
            // A mark only the report's own comparison carries.
            report.comparison?.fingerprintDifferences = ["from the report"]
            let reused = try RegressionGate(store: database.store, tolerance: 0.2).evaluate(latest, reusing: report)
            #expect(reused?.fingerprintDifferences == ["from the report"])
            let lenient = try #require(try RegressionGate(store: database.store, tolerance: 10).evaluate(latest, reusing: report))
            #expect(lenient.fingerprintDifferences.isEmpty && lenient.regressions.isEmpty)
            let earlier = try #require(try ReportLoader(store: database.store).load(runId: 9))
            #expect(try RegressionGate(store: database.store, tolerance: 0.2).evaluate(earlier, reusing: report)?.new.id == 9)
        }

        /// A runtime-class matrix job (`--runtime-class runc,crun`) stores a run per class; each
        /// is held against its own class's history, and a regression in a class other than the
        /// newest shows in the reports, as the gate fails it.
        @Test func eachRuntimeClassOfAMatrixIsShownAgainstItsOwnReference() throws {
            let database = try TestDatabase()
            let scenarios = try repositoryScenarios("ipc-message-queue")
            var history = SyntheticHistory(seed: 56)
            var runc = SyntheticHistory.fingerprint, crun = SyntheticHistory.fingerprint
            runc.runtimeClass = "runc"
            crun.runtimeClass = "crun"
            for _ in 0..<4 {
                try history.writeRun(scenarios, to: database.store, fingerprint: runc)
                try history.writeRun(scenarios, to: database.store, fingerprint: crun)
            }
            let slow = try history.writeRun(scenarios, to: database.store, fingerprint: runc, slowdown: 2)
            let newest = try history.writeRun(scenarios, to: database.store, fingerprint: crun)
            let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter(ids: [slow, newest]))
            #expect(report.comparison?.base.id == newest - 2 && report.comparison?.regressions.isEmpty == true)
            let runcComparison = try #require(report.otherComparisons.first)
            #expect(report.otherComparisons.count == 1)
            #expect(runcComparison.new.id == slow && runcComparison.base.id == slow - 2, "runc's reference is the runc run before")
            #expect(!runcComparison.regressions.isEmpty)

            let markdown = MarkdownReport().render(report)
            #expect(markdown.contains("### Run \(slow) (runc) against previous run \(slow - 2)"), "\(markdown)")
            #expect(markdown.contains("### Run \(newest) (crun) against previous run \(newest - 2)"))
            let html = HTMLReport().render(report)
            #expect(html.contains("<section id=\"comparison-\(slow)\"><h2>Run \(slow) (runc) against previous run \(slow - 2)</h2>"))
            #expect(html.contains("<section id=\"comparison\"><h2>Run \(newest) (crun) against"))
            #expect(TerminalReport(console: Console(isTerminal: false)).render(report).contains("run \(slow) (runc) against previous run \(slow - 2): 0 new failures, \(runcComparison.regressions.count) regression"))
            let json = try JSONSerialization.jsonObject(with: Data(try JSONReport().render(report).utf8)) as? [String: Any]
            #expect((json?["otherComparisons"] as? [[String: Any]])?.first?["newRun"] as? Int64 == slow)
            // The gate judges what the report shows.
            let slowRun = try #require(report.runs.first { $0.id == slow })
            #expect(try RegressionGate(store: database.store).evaluate(slowRun, reusing: report)?.regressions.count == runcComparison.regressions.count)
        }

        /// Runs after a baseline older than the trends are held against it all the same.
        @Test func trendsMarkRegressedRunsWhenTheBaselineIsOlderThanTheWindow() throws {
            var (database, scenarios, history) = try nightlyHistory(seed: 73)
            let slow = try database.store.writeRun([history.result(of: scenarios[0], slowdown: 2)])
            var builder = ReportBuilder(store: database.store, generator: "t")
            builder.trendLength = 6
            let report = try builder.build(RunFilter())
            #expect(report.comparison?.againstBaseline == true && report.baselineId == 1)
            let trend = try #require(report.trends.first { $0.key.name == "sysv.round-trip" })
            #expect(trend.points.map(\.runId) == Array(5...slow))
            #expect(trend.points.allSatisfy { !$0.isBaseline })
            #expect(trend.points.filter(\.regressed).map(\.runId) == [slow])
            #expect(HTMLReport().render(report).contains("the baseline is run 1, outside these runs"))

            // Two steady runs later, the slow one is still marked.
            for _ in 0..<2 { try history.writeRun(scenarios, to: database.store, fingerprint: SyntheticHistory.fingerprint) }
            let later = try #require(try builder.build(RunFilter()).trends.first { $0.key.name == "sysv.round-trip" })
            #expect(later.points.map(\.runId) == Array(7...(slow + 2)))
            #expect(later.points.filter(\.regressed).map(\.runId) == [slow])
        }

        @Test func aScenarioToleranceOverridesTheDefault() throws {
            var (database, scenarios, history) = try nightlyHistory(seed: 61)
            var slow = history.result(of: scenarios[0], slowdown: 2)
            slow.regressionTolerance = 1.5
            try database.store.writeRun([slow])
            let comparison = try compareLatest(database.store)
            #expect(comparison.regressions.isEmpty)
            #expect(comparison.metrics.filter { $0.key.scenario == "ipc-message-queue" }.allSatisfy { $0.tolerance == 1.5 })
        }

        @Test func trendsMarkTheBaselineAndTheRegressedRun() throws {
            var (database, scenarios, history) = try nightlyHistory(seed: 71)
            try database.store.writeRun([history.result(of: scenarios[0], slowdown: 2)])
            let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter())
            let trend = try #require(report.trends.first { $0.key.name == "sysv.round-trip" })
            #expect(trend.points.count == 10)
            #expect(trend.points.filter(\.isBaseline).map(\.runId) == [1])
            #expect(trend.points.last?.regressed == true)
            #expect(trend.points.dropLast().allSatisfy { !$0.regressed })
            let html = HTMLReport().render(report)
            #expect(html.contains("figure class=\"trend regressed\""))
        }

        @Test func pruneKeepsTheNewestAndTheBaselines() throws {
            let (database, _, _) = try nightlyHistory(seed: 81)
            #expect(try database.store.prune(keep: 3) == 5)
            #expect(try database.store.runs().compactMap(\.id) == [1, 7, 8, 9])
            let orphans = try database.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metric WHERE scenarioResultId NOT IN (SELECT id FROM scenarioResult)") }
            #expect(orphans == 0)
        }

        @Test func pruneByAgeKeepsRecentRunsAndBaselines() throws {
            let database = try TestDatabase()
            let scenarios = try repositoryScenarios("shared-volume")
            var history = SyntheticHistory(seed: 91)
            let now = Date()
            for days in [40.0, 20, 10, 1] {
                try history.writeRun(scenarios, to: database.store, fingerprint: SyntheticHistory.fingerprint, startedAt: now.addingTimeInterval(-days * 86_400))
            }
            try database.store.setBaseline(runId: 1)
            #expect(try database.store.prune(startedBefore: now.addingTimeInterval(-15 * 86_400)) == 1)
            #expect(try database.store.runs().compactMap(\.id) == [1, 3, 4])
        }
    }
}

/// A metric's placement is part of its identity: a same-cpu figure is compared with same-cpu
/// figures only, and the reports say where each end ran.
@Suite struct PlacementIdentityTests {
    func result(_ placement: Placement, p50: UInt64) -> ScenarioResult {
        let cpu = { (side: Int, pinned: Int) in CPUUse(asked: placement, side: side, pinned: pinned, unpinned: nil, allowed: [0, 1], ran: [pinned], migrations: 0, involuntarySwitches: 1) }
        let where_ = MetricPlacement(sides: [.init(container: "p/s", cpu: cpu(0, 0)), .init(container: "p/c", cpu: cpu(1, placement == .sameCPU ? 0 : 1))])
        return ScenarioResult(scenario: "tcp", status: .pass, startedAt: Date(), duration: 1,
                              metrics: [MetricResult(name: "tcp.round-trip", unit: "ns", source: "p/c", values: [[p50, 100]], placement: where_)])
    }

    @Test func placementsAreStoredAndNeverComparedWithEachOther() throws {
        let database = try TestDatabase()
        var fingerprint = SyntheticHistory.fingerprint
        fingerprint.placement = .sameCPU
        let base = try database.store.writeRun([result(.sameCPU, p50: 5_000)], fingerprint: fingerprint)
        let new = try database.store.writeRun([result(.crossCPU, p50: 50_000)], fingerprint: fingerprint)
        let loader = ReportLoader(store: database.store)
        let stored = try #require(try loader.load(runId: new)?.scenarios.first?.metrics.first)
        #expect(stored.placement?.placement == .crossCPU)
        #expect(stored.placement?.sides.map(\.cpu.pinned) == [0, 1])
        #expect(stored.key.label == "tcp · tcp.round-trip (p/c) [cross-cpu]")
        let comparison = try Comparer(store: database.store).compare(base: try #require(try loader.load(runId: base)), new: try #require(try loader.load(runId: new)))
        // Ten times slower, but at another placement: one metric gone, one new, no regression.
        #expect(comparison.metrics.map { $0.key.placement } == [.crossCPU, .sameCPU])
        #expect(comparison.metrics.allSatisfy { $0.judgement == nil })
        #expect(comparison.regressions.isEmpty)
    }

    /// Metrics stored before placements existed were measured unpinned: they are `free`, and a
    /// `--placement free` run is compared with them.
    @Test func aMetricStoredWithoutAPlacementRanFree() {
        #expect(MetricKey(scenario: "s", name: "tcp.round-trip", source: "p/c").placement == .free)
        #expect(MetricKey(scenario: "s", name: "pod.start", source: nil).placement == nil)
    }

    @Test func theFingerprintSaysThePlacementAndRunsOfOtherPlacementsAreAnotherEnvironment() {
        var pinned = SyntheticHistory.fingerprint
        pinned.placement = .crossCPU
        var unpinned = pinned
        unpinned.placement = nil
        #expect(pinned.fields.contains { $0.label == "placement" && $0.value == "cross-cpu" })
        #expect(pinned.differences(from: unpinned) == ["placement: free → cross-cpu"])
    }
}

@Suite struct RuntimeMatrixTests {
    /// A column is its runtime class's newest complete run: a run killed or still going, newer
    /// though it is, says nothing of the scenarios it did not reach.
    @Test func aColumnIsItsNewestCompleteRun() throws {
        let database = try TestDatabase()
        var history = SyntheticHistory(seed: 77)
        var runc = SyntheticHistory.fingerprint, runsc = SyntheticHistory.fingerprint
        runc.runtimeClass = "runc"
        runsc.runtimeClass = "runsc"
        let scenario = namedScenario("s", check: "c")
        let first = try database.store.writeRun([history.result(of: scenario)], fingerprint: runc)
        let complete = try database.store.writeRun([history.result(of: scenario)], fingerprint: runsc)
        let killed = try database.store.writeRun([], fingerprint: runsc, status: .interrupted)
        let going = try database.store.beginRun(runtime: runsc.runtime, host: "synthetic", fingerprint: runsc, repetitions: 1)
        let report = try ReportBuilder(store: database.store, generator: "t").build(RunFilter(ids: [first, complete, killed, going]))
        let matrix = try #require(RuntimeMatrix(report.runs))
        #expect(matrix.columns.map(\.run.id) == [first, complete])
    }
}
