import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchReport
import PodbenchStore
import PodbenchTestSupport
import Testing

extension CPUHeavyTests {
    /// A latency beside its host twin (`run --calibrate`): which metrics get one, how it is
    /// stored, the overhead's interval, and the gate's choice between the overhead and the
    /// absolute figures.
    @Suite struct CalibrationTests {
        static let cross = MetricPlacement(sides: [
            .init(container: "p/server", cpu: CPUUse(asked: .crossCPU, side: 0, pinned: 0, unpinned: nil, allowed: [0, 1], ran: [0], migrations: 0, involuntarySwitches: 0)),
            .init(container: "p/client", cpu: CPUUse(asked: .crossCPU, side: 1, pinned: 1, unpinned: nil, allowed: [0, 1], ran: [1], migrations: 0, involuntarySwitches: 0)),
        ])

        /// A round trip between containers around `median` ns.
        static func roundTrip(_ history: inout SyntheticHistory, median: Double, name: String = "tcp.round-trip", count: Int = 2000, sigma: Double = 0.1) -> MetricResult {
            var metric = history.metric(name, source: "p/client", median: median, sigma: sigma, count: count)
            metric.placement = cross
            return metric
        }

        static func result(_ metrics: [MetricResult]) -> ScenarioResult {
            ScenarioResult(scenario: "localhost-tcp", status: .pass, startedAt: Date(), duration: 1, metrics: metrics)
        }

        /// A calibrated result: the pod's round trip at `pod` ns, its twins at `floor` before and
        /// `floor × drift` after.
        static func calibrated(_ history: inout SyntheticHistory, pod: Double, floor: Double, drift: Double = 1) -> ScenarioResult {
            result([roundTrip(&history, median: pod)]).calibrated(
                before: result([roundTrip(&history, median: floor)]), after: result([roundTrip(&history, median: floor * drift)]))
        }

        @Test func onlyAValidLatencyBetweenContainersThatBothTwinsMeasuredGetsAFloor() throws {
            var history = SyntheticHistory(seed: 1)
            let start = history.metric("pod.start", source: nil, median: 300_000_000, count: 1)
            let invalid = Self.roundTrip(&history, median: 20_000, name: "tcp.one-way").invalidated("two clocks")
            let onlyBefore = Self.roundTrip(&history, median: 20_000, name: "udp.round-trip")
            var sameCPU = Self.roundTrip(&history, median: 20_000, name: "unix.round-trip")
            sameCPU.placement?.placement = .sameCPU
            let pod = Self.result([Self.roundTrip(&history, median: 24_000), start, invalid, onlyBefore, sameCPU])
            var otherSameCPU = Self.roundTrip(&history, median: 20_000, name: "unix.round-trip")
            otherSameCPU.placement?.placement = .crossCPU
            let before = Self.result([Self.roundTrip(&history, median: 20_000), start, Self.roundTrip(&history, median: 20_000, name: "tcp.one-way"), onlyBefore, otherSameCPU])
            let after = Self.result([Self.roundTrip(&history, median: 21_000), start, Self.roundTrip(&history, median: 20_000, name: "tcp.one-way"), otherSameCPU])
            let calibrated = pod.calibrated(before: before, after: after)
            let floors = Dictionary(uniqueKeysWithValues: calibrated.metrics.map { ($0.name, $0.floor) })
            let roundTrip = try #require(floors["tcp.round-trip"] ?? nil, "the round trip both twins measured")
            #expect(Set(floors.keys) == ["tcp.round-trip", "pod.start", "tcp.one-way", "udp.round-trip", "unix.round-trip"])
            #expect(try roundTrip.before.valueAtPercentile(50) < #require(roundTrip.after).valueAtPercentile(50), "before is before, after after")
            #expect(roundTrip.merged.totalCount == 4000)
            for name in ["pod.start", "tcp.one-way", "udp.round-trip", "unix.round-trip"] {
                #expect((floors[name] ?? nil) == nil, "\(name) has no floor")
            }
            #expect(calibrated.checks.isEmpty && calibrated.status == .pass, "the twins' verdicts are not the pod's")
        }

        @Test func theTwinIsStoredWithItsMetricAndRepetitionsMergeIt() throws {
            let database = try TestDatabase()
            var history = SyntheticHistory(seed: 2)
            let first = Self.calibrated(&history, pod: 24_000, floor: 20_000)
            var second = Self.calibrated(&history, pod: 24_000, floor: 20_000)
            second.repetition = 2
            let id = try database.store.writeRun([first, second], repetitions: 2)
            let stored = try #require(try database.store.metrics(scenarioResultIds: try database.store.scenarioResults(runId: id).compactMap(\.id)).first)
            let floor = try #require(stored.result.floor)
            #expect(floor.before.totalCount == 2000 && floor.after?.totalCount == 2000)
            #expect(stored.floorP50 == Int64(try #require(first.metrics[0].floor).merged.valueAtPercentile(50)))
            let summary = try #require(try database.store.metricSummaries(runIds: [id]).first)
            #expect(summary.floorP50 != nil && summary.floorP99 != nil)
            let metric = try #require(try ReportLoader(store: database.store).load(runId: id)?.scenarios.first?.metrics.first)
            #expect(metric.floor?.before.totalCount == 4000, "two repetitions' twins, merged")
            let overhead = try #require(metric.overhead)
            #expect(abs(overhead.p50.ratio - 1.2) < 0.03, "\(overhead.p50.text)")
        }

        @Test func aTwinThatTookTurnsIsStoredAloneAndStandsUnderTheOverhead() throws {
            let database = try TestDatabase()
            var history = SyntheticHistory(seed: 12)
            let twin = Self.result([Self.roundTrip(&history, median: 20_000), history.metric("pod.start", source: nil, median: 1_000_000, count: 1)])
            let first = Self.result([Self.roundTrip(&history, median: 26_000)]).calibrated(turns: twin)
            let floor = try #require(first.metrics[0].floor)
            #expect(floor.tookTurns && floor.count == 2000)
            var second = Self.result([Self.roundTrip(&history, median: 26_000)]).calibrated(turns: twin)
            second.repetition = 2
            let id = try database.store.writeRun([first, second], repetitions: 2)
            let stored = try #require(try database.store.metrics(scenarioResultIds: try database.store.scenarioResults(runId: id).compactMap(\.id)).first)
            #expect(stored.floorBefore != nil && stored.floorAfter == nil && stored.result.floor?.tookTurns == true)
            let metric = try #require(try ReportLoader(store: database.store).load(runId: id)?.scenarios.first?.metrics.first)
            #expect(metric.floor?.tookTurns == true && metric.floor?.count == 4000, "two repetitions' twins, merged")
            let overhead = try #require(metric.overhead)
            #expect(abs(overhead.p50.ratio - 1.3) < 0.03 && overhead.p50.low < overhead.p50.ratio && overhead.p50.ratio < overhead.p50.high, "\(overhead.p50.text)")
            // A repetition whose twin took turns and one whose twins ran around it: all samples, as one.
            let around = try #require(Self.calibrated(&history, pod: 26_000, floor: 20_000).metrics[0].floor)
            let mixed = floor.adding(around)
            #expect(mixed.tookTurns && mixed.count == 6000)
        }

        @Test func theOverheadsIntervalHoldsItAndWidensWhenTheMachineDrifted() throws {
            var history = SyntheticHistory(seed: 3)
            let steady = try #require(Self.calibrated(&history, pod: 30_000, floor: 20_000).metrics[0].floor)
            let pod = Self.roundTrip(&history, median: 30_000).histogram
            let still = try #require(Overhead.of(pod, over: steady, at: 50))
            #expect(abs(still.ratio - 1.5) < 0.03, "\(still.text)")
            #expect(still.low < still.ratio && still.ratio < still.high, "\(still.text)")
            #expect(still.high - still.low < 0.1, "2,000 samples each pin a median: \(still.text)")
            let drifted = try #require(Self.calibrated(&history, pod: 30_000, floor: 20_000, drift: 1.2).metrics[0].floor)
            let moved = try #require(Overhead.of(pod, over: drifted, at: 50))
            #expect(moved.high - moved.low > 2 * (still.high - still.low), "a floor that moved between the twins widens it: \(moved.text) against \(still.text)")
            #expect(moved.low < 1.5 / 1.2 * 1.01 && moved.high > 1.5 * 0.99, "it spans both twins: \(moved.text)")
            #expect(Overhead.of(pod, over: MetricFloor(before: steady.before, after: LatencyRecorder.emptyHistogram()), at: 50) == nil)
        }

        /// Runs of one metric, each calibrated or not, the first the baseline; the comparison of
        /// the newest with it.
        func compare(_ runs: [ScenarioResult]) throws -> MetricComparison {
            try #require(try compareAll(runs).first)
        }

        /// Every metric's comparison of the newest of `runs` with the first, the baseline.
        func compareAll(_ runs: [ScenarioResult]) throws -> [MetricComparison] {
            let database = try TestDatabase()
            for run in runs { try database.store.writeRun([run]) }
            try database.store.setBaseline(runId: 1)
            let latest = try #require(try ReportLoader(store: database.store).load(runId: nil))
            return try #require(try RegressionGate(store: database.store).evaluate(latest)).metrics
        }

        func compare(base: ScenarioResult, new: ScenarioResult) throws -> MetricComparison {
            try compare([base, new])
        }

        static func uncalibrated(_ result: ScenarioResult) -> ScenarioResult {
            var result = result
            result.metrics = result.metrics.map { var metric = $0; metric.floor = nil; return metric }
            return result
        }

        @Test func aMachineThatSlowedDownIsNoRegressionWhereBothRunsStandOnTheirTwins() throws {
            var history = SyntheticHistory(seed: 4)
            let base = Self.calibrated(&history, pod: 24_000, floor: 20_000)
            // An hour later the host gives this VM's CPUs less: pod and twin alike, 60% slower.
            let new = Self.calibrated(&history, pod: 38_400, floor: 32_000)
            let calibrated = try compare(base: base, new: new)
            #expect(calibrated.judgement?.calibrated == true)
            #expect(calibrated.judgement?.verdict == .unchanged, "\(calibrated.judgement?.reason ?? "")")
            let absolute = try compare(base: Self.uncalibrated(base), new: Self.uncalibrated(new))
            #expect(absolute.judgement?.calibrated == false)
            #expect(absolute.judgement?.verdict == .regressed, "the absolute figures moved 60%: \(absolute.judgement?.reason ?? "")")
        }

        @Test func aPodThatSlowedDownOnAnUnchangedFloorRegressed() throws {
            var history = SyntheticHistory(seed: 5)
            let base = Self.calibrated(&history, pod: 24_000, floor: 20_000)
            // Without earlier calibrated runs to tell how much an overhead moves, the tolerance
            // is tripled: a 20% rise is not enough, a 50% one is.
            let judgement = try #require(try compare(base: base, new: Self.calibrated(&history, pod: 36_000, floor: 20_000)).judgement)
            #expect(judgement.calibrated && judgement.verdict == .regressed, "\(judgement.reason)")
            #expect(judgement.reason.contains("overhead p50 ×1.8"), "\(judgement.reason)")
            #expect(judgement.reason.contains("30% tolerance (10% × 3: fewer than 5 earlier calibrated runs tell the noise), the intervals apart"), "\(judgement.reason)")
            let small = try #require(try compare(base: base, new: Self.calibrated(&history, pod: 28_800, floor: 20_000)).judgement)
            #expect(small.verdict == .unchanged, "\(small.reason)")
        }

        @Test func onceEarlierRunsShowASteadyOverheadATwentyPercentRiseIsCaught() throws {
            var history = SyntheticHistory(seed: 7)
            var runs: [ScenarioResult] = []
            for index in 0..<7 {
                // The machine drifts by up to 40%; the pod adds 20% to whatever it gives, ±2%.
                let machine = 1 + Double(index % 3) * 0.2
                runs.append(Self.calibrated(&history, pod: 24_000 * machine * (1 + Double(index % 2) * 0.02), floor: 20_000 * machine))
            }
            let steady = try #require(try compare(runs + [Self.calibrated(&history, pod: 30_000, floor: 25_000)]).judgement)
            #expect(steady.verdict == .unchanged, "\(steady.reason)")
            let slower = try #require(try compare(runs + [Self.calibrated(&history, pod: 36_000, floor: 25_000)]).judgement)
            #expect(slower.verdict == .regressed, "\(slower.reason)")
            #expect(slower.reason.contains("beyond the range of 6 earlier calibrated runs"), "\(slower.reason)")
        }

        @Test func anOverheadThatMovesFromRunToRunIsNoRegressionOnceTheHistoryShowsIt() throws {
            var history = SyntheticHistory(seed: 8)
            // Twins that do not catch the machine's moments: the overhead swings ±25%.
            let swings = [1.0, 1.25, 0.85, 1.2, 0.9, 1.15, 0.8]
            let runs = swings.map { Self.calibrated(&history, pod: 24_000 * $0, floor: 20_000) }
            let judgement = try #require(try compare(runs + [Self.calibrated(&history, pod: 30_500, floor: 20_000)]).judgement)
            #expect(judgement.verdict == .unchanged, "\(judgement.reason)")
            #expect(judgement.reason.contains("spread of 6 earlier calibrated runs"), "\(judgement.reason)")
        }

        /// A pod whose tail is three times its twin's where it was not: p99 of the overhead moves
        /// that far between unchanged runs on a VM, so only a history that shows it steady lets
        /// the gate judge it.
        @Test func aTailsOverheadIsJudgedOnlyOnceEarlierRunsTellHowFarItMoves() throws {
            var history = SyntheticHistory(seed: 9)
            func run(tail sigma: Double) -> ScenarioResult {
                let twin = Self.result([Self.roundTrip(&history, median: 20_000)])
                return Self.result([Self.roundTrip(&history, median: 24_000, sigma: sigma)]).calibrated(turns: twin)
            }
            let steady = (0..<6).map { _ in run(tail: 0.1) }
            let alone = try #require(try compare([steady[0], run(tail: 0.5)]).judgement)
            #expect(alone.calibrated && alone.verdict == .unchanged, "\(alone.reason)")
            #expect(alone.reason.contains("overhead p99 +") && alone.reason.contains("not judged: a tail's overhead moves from run to run beyond its interval, and fewer than 5 earlier calibrated runs tell how far"), "\(alone.reason)")
            let known = try #require(try compare(steady + [run(tail: 0.5)]).judgement)
            #expect(known.verdict == .regressed && known.reason.contains("overhead p99 ×"), "\(known.reason)")
        }

        /// Taking turns, a pod completes when its measurement does, twice as long as alone and
        /// after the lead podbench chose: between two such runs `pod.complete` is not judged.
        @Test func aPodThatTookTurnsIsNotJudgedOnWhenItCompleted() throws {
            var history = SyntheticHistory(seed: 10)
            func run(complete: Double, turns: Bool) -> ScenarioResult {
                let pod = Self.result([Self.roundTrip(&history, median: 24_000), history.metric(MetricName.podComplete.text, source: nil, median: complete, sigma: 0.02, count: 1)])
                if turns { return pod.calibrated(turns: Self.result([Self.roundTrip(&history, median: 20_000)])) }
                return pod.calibrated(before: Self.result([Self.roundTrip(&history, median: 20_000)]), after: Self.result([Self.roundTrip(&history, median: 20_000)]))
            }
            let complete = { (comparisons: [MetricComparison]) in comparisons.first { $0.key.name == MetricName.podComplete.text }?.judgement }
            // Six runs that tell how much it moves, then one that took twice as long.
            let runs = { (turns: Bool) in (0..<6).map { _ in run(complete: 200_000_000, turns: turns) } + [run(complete: 400_000_000, turns: turns)] }
            let turns = try #require(complete(try compareAll(runs(true))))
            #expect(turns.verdict == .unchanged && turns.reason.hasPrefix("not judged: both runs measured the scenario taking turns"), "\(turns.reason)")
            let around = try #require(complete(try compareAll(runs(false))))
            #expect(around.verdict == .regressed, "twins around it leave its own time: \(around.reason)")
        }

        @Test func whereOneRunIsNotCalibratedTheAbsoluteFiguresAreJudgedAndItSaysSo() throws {
            var history = SyntheticHistory(seed: 6)
            let base = Self.uncalibrated(Self.calibrated(&history, pod: 24_000, floor: 20_000))
            let new = Self.calibrated(&history, pod: 24_500, floor: 20_000)
            let judgement = try #require(try compare(base: base, new: new).judgement)
            #expect(!judgement.calibrated)
            #expect(judgement.reason.hasSuffix("absolute figures: run 1 has no host twin (run --calibrate)"), "\(judgement.reason)")
        }
    }
}
