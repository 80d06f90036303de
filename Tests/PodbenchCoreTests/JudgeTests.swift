import Foundation
import PodbenchCore
import Testing

@Suite struct JudgeTests {
    let scenario = try! ScenarioLoader.parse("""
        name: judged
        description: Judging.
        pod:
          name: p
          containers:
            - name: producer
              probe: sysv-producer
            - name: consumer
              probe: sysv-consumer
        expect:
          - check: sysv.all-consumed
            level: MUST
          - check: sysv.in-order
            level: SHOULD
          - check: pod.completed
            level: MUST
        """, file: "judged.yaml")

    func outcome(_ container: String, _ lines: [String], ending: ContainerOutcome.Ending = .exited(0)) -> ContainerOutcome {
        ContainerOutcome(pod: "p", container: container, ending: ending, standardOutput: lines.joined(separator: "\n") + "\n", standardError: "")
    }

    @Test func passingChecksAndMetricsMakeAPass() throws {
        let result = Judge.judge(scenario, outcomes: [
            outcome("consumer", [
                "Consumed: f4",
                #"{"podbench":"check","name":"sysv.all-consumed","ok":true,"message":"all 1"}"#,
                #"{"podbench":"check","name":"sysv.in-order","ok":true,"message":"in order"}"#,
                #"{"podbench":"metric","name":"sysv.one-way","unit":"ns","values":[[1000,3],[2000,1]]}"#,
            ]),
            outcome("producer", ["Produced: f4"]),
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .pass)
        let probeChecks = result.checks.filter { !$0.name.hasPrefix("namespace.") }
        #expect(probeChecks.map(\.name) == ["pod.completed", "sysv.all-consumed", "sysv.in-order"])
        #expect(probeChecks.allSatisfy { $0.passed })
        #expect(probeChecks[1].source == "p/consumer")
        // Output without `started` records carries no identities: those checks are not judged.
        #expect(result.checks.filter { $0.name.hasPrefix("namespace.") }.allSatisfy { $0.outcome == .skip && $0.message.contains("p/consumer reported no") })
        let metric = try #require(result.metrics.first)
        #expect(metric.count == 4)
        #expect(metric.percentile(50) == 1000)
        #expect(metric.max >= 2000 && metric.max <= 2002)
    }

    @Test func aFailedMustCheckFailsTheScenario() {
        let result = Judge.judge(scenario, outcomes: [
            outcome("consumer", [#"{"podbench":"check","name":"sysv.all-consumed","ok":false,"message":"3 lost"}"#, #"{"podbench":"check","name":"sysv.in-order","ok":true,"message":""}"#], ending: .exited(1)),
            outcome("producer", []),
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "pod.completed" }?.message == "p/consumer exited 1")
    }

    /// A runtime that reports a status the probe did not exit with (gVisor's exit reporting
    /// under load) fails the pod, and the message says the probe itself finished passing.
    @Test func aStatusThatContradictsAFinishedProbeIsNamedAsTheRuntimes() {
        let result = Judge.judge(scenario, outcomes: [
            outcome("consumer", [#"{"podbench":"check","name":"sysv.all-consumed","ok":true,"message":""}"#, #"{"podbench":"check","name":"sysv.in-order","ok":true,"message":""}"#, #"{"podbench":"finished","at":2}"#], ending: .exited(255)),
            outcome("producer", [#"{"podbench":"finished","at":2}"#]),
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "pod.completed" }?.message == "p/consumer exited 255 although its probe finished with every check passed: the runtime reported a status the probe did not exit with")
    }

    @Test func aFailedShouldCheckIsAWarningNotAFailure() {
        let result = Judge.judge(scenario, outcomes: [
            outcome("consumer", [#"{"podbench":"check","name":"sysv.all-consumed","ok":true,"message":""}"#, #"{"podbench":"check","name":"sysv.in-order","ok":false,"message":"2 out of order"}"#]),
            outcome("producer", []),
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .pass)
        #expect(result.warnings.map(\.name) == ["sysv.in-order"])
    }

    @Test func anExpectedCheckNobodyReportedFailsWithTheContainersEndings() {
        let result = Judge.judge(scenario, outcomes: [
            outcome("consumer", [#"{"podbench":"error","message":"msgget: No space left on device"}"#], ending: .exited(3)),
            outcome("producer", [], ending: .signaled(9)),
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .fail)
        let missing = result.checks.first { $0.name == "sysv.all-consumed" }
        #expect(missing?.passed == false)
        // Charged to the container that reports it, beside how the others ended.
        #expect(missing?.source == "p/consumer")
        #expect(missing?.message == "not reported by p/consumer, which exited 3: msgget: No space left on device; beside it, p/producer was killed by signal 9 (SIGKILL)")
    }

    /// A scenario that ran past its timeout was cut short by podbench's own time limit: what
    /// its deadline kept from being judged is inconclusive, and the scenario an error that
    /// says so, never the channel's failure.
    @Test func aScenarioThatRanPastItsTimeoutIsNotBlamedOnTheChannel() {
        let result = Judge.judge(scenario, outcomes: [
            outcome("consumer", [#"{"podbench":"error","deadline":true,"message":"sysv-consumer passed its deadline of 30s, the scenario's timeout"}"#], ending: .exited(124)),
            outcome("producer", [#"{"podbench":"check","deadline":true,"name":"sysv.round-trip","ok":false,"message":"the consumer stopped answering"}"#], ending: .timedOut),
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .error)
        #expect(result.error == "timed out after 60s: raise timeout or lower rounds")
        #expect(result.notJudged)
        for name in ["sysv.all-consumed", "sysv.round-trip", "pod.completed"] {
            let check = result.checks.first { $0.name == name }
            #expect(check?.outcome == .inconclusive, "\(name)")
            #expect(check?.message.hasPrefix("timed out after 60s: raise timeout or lower rounds (") == true, "\(check?.message ?? name)")
        }
        #expect(result.checks.first { $0.name == "sysv.all-consumed" }?.message.contains("not reported by p/consumer, which exited 124: sysv-consumer passed its deadline") == true)
    }

    /// A peer that crashed is why the others waited until their deadline: their failures stand.
    @Test func aPeerThatCrashedIsNotATimeout() {
        let result = Judge.judge(scenario, outcomes: [
            outcome("consumer", [], ending: .signaled(9)),
            outcome("producer", [#"{"podbench":"check","deadline":true,"name":"sysv.round-trip","ok":false,"message":"the consumer stopped answering"}"#], ending: .exited(124)),
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "sysv.round-trip" }?.outcome == .fail)
    }

    /// A MUST check that failed beside a peer that stopped itself at its deadline (exit 124:
    /// it was waiting for this one) still fails the scenario: only a stalled peer, one the
    /// runtime had to kill, can explain a failure beside it.
    @Test func aCheckThatFailedBesideAPeerAtItsDeadlineStillFails() {
        let result = Judge.judge(scenario, outcomes: [
            outcome("consumer", [#"{"podbench":"check","name":"sysv.all-consumed","ok":false,"message":"3 of 5"}"#], ending: .exited(1)),
            outcome("producer", [#"{"podbench":"error","message":"sysv-producer passed its deadline"}"#], ending: .exited(124)),
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "sysv.all-consumed" }?.outcome == .fail)
    }

    /// A check that failed beside a peer that never ended is not judged: the stalled peer is a
    /// likelier cause than the channel (a reader whose writer was stopped sees too few lines).
    /// The scenario is the timed-out error, naming the peer and why it had not ended (finding 7
    /// of the second reliability round).
    @Test func aFailureBesideAStalledPeerIsTheTimeoutNotAVerdict() {
        var stalled = outcome("producer", [], ending: .timedOut)
        stalled.stall = "stopped by a signal (SIGSTOP or SIGTSTP)"
        let result = Judge.judge(scenario, outcomes: [
            outcome("consumer", [#"{"podbench":"check","name":"sysv.all-consumed","ok":false,"message":"3 of 5"}"#], ending: .exited(1)),
            stalled,
        ], startedAt: Date(), duration: 1)
        #expect(result.status == .error)
        #expect(result.error == "timed out after 60s: p/producer was stopped by a signal (SIGSTOP or SIGTSTP) and never ended; podbench killed it at the timeout")
        let check = result.checks.first { $0.name == "sysv.all-consumed" }
        #expect(check?.outcome == .inconclusive && check?.message.hasSuffix("(3 of 5)") == true, "\(check?.message ?? "")")
    }

    @Test func logLinesAndMalformedRecordsAreIgnored() {
        #expect(Judge.records(in: "Produced: {x}\n{not json}\n{\"podbench\":\"check\",\"name\":\"a\",\"ok\":true}\n").count == 1)
    }
}

@Suite struct ScenarioScalingTests {
    @Test func scalingMultipliesRoundsConnectsWaitsAndTheTimeoutOnly() throws {
        let scenario = try ScenarioLoader.parse("""
            name: scaled
            description: Scaling.
            timeout: 10s
            pod:
              name: p
              containers:
                - {name: s, probe: echo-server}
                - {name: c, probe: echo-client, args: {rounds: 500, warmup: 7}}
            expect: [{check: pod.completed, level: MUST}]
            """, file: "s.yaml").scaled(by: 4)
        #expect(scenario.timeout == 40_000_000_000)
        let client = scenario.pods[0].containers[1]
        #expect(client.args.first { $0.name == "rounds" }?.value == "2000")
        #expect(client.args.first { $0.name == "warmup" }?.value == "7")
        #expect(client.args.first { $0.name == "connects" }?.value == "800") // its default, 200, times 4
        #expect(client.args.first { $0.name == "wait" }?.value == "80000000000ns") // 20s, times 4
        #expect(client.args.first { $0.name == "size" } == nil)
        #expect(scenario.pods[0].containers[0].args.map(\.name) == ["wait"])
    }

    @Test func aShortenedTwinOfAVolumeScenarioWritesAndExpectsAQuarterOfTheLines() throws {
        let scenario = try ScenarioLoader.parse("""
            name: lines
            description: Lines.
            pod:
              name: p
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: r, probe: volume-reader, args: {path: /v/f, count: 40}, volumeMounts: [{name: v, mountPath: /v}]}
                - {name: w, probe: volume-writer, args: {path: /v/f, count: 40, interval: 5ms}, volumeMounts: [{name: v, mountPath: /v}]}
            expect: [{check: pod.completed, level: MUST}]
            """, file: "lines.yaml")
        let counts = { (scenario: Scenario) in scenario.pods[0].containers.map { $0.args.first { $0.name == "count" }?.value } }
        #expect(counts(scenario.shortened(by: 4)) == ["10", "10"], "writer and reader agree on the lines a twin writes")
        #expect(counts(scenario.scaled(by: 3)) == ["120", "120"])
        #expect(scenario.shortened(by: 4).pods[0].containers[1].args.first { $0.name == "interval" }?.value == "5ms", "the pause between lines is no measurement")
    }

    /// An isolation counts only if the container of the other pod it would reach (the server
    /// on its port; another, such as a hostname probe, proves nothing) ran during the wait that
    /// saw it: from the isolated container's start to when it judged its check (at 250).
    @Test(arguments: [(100 as UInt64, 500 as UInt64, nil as String?), (100, 150, "had ended 50ns before this container started"),
                      (260, 500, "started 10ns after this container's wait ended"), (270, 500, "started 20ns after this container's wait ended")])
    func anIsolationSeenWhileTheOtherPodWasGoneIsNotJudged(_ serverStart: UInt64, _ serverEnd: UInt64, _ apart: String?) throws {
        let twoPods = try ScenarioLoader.parse("""
            name: apart
            description: Two pods.
            pods:
              - name: a
                containers:
                  - {name: server, probe: echo-server, args: {expect: isolated}}
                  - {name: hostname, probe: hostname, args: {name: a}}
              - name: b
                containers: [{name: client, probe: echo-client, args: {expect: isolated}}]
            expect:
              - {check: tcp.isolated, level: MUST}
            """, file: "apart.yaml")
        func ran(_ pod: String, _ container: String, _ start: UInt64, _ end: UInt64, _ lines: [String] = []) -> ContainerOutcome {
            let records = [#"{"podbench":"started","at":\#(start)}"#] + lines + [#"{"podbench":"finished","at":\#(end)}"#]
            return ContainerOutcome(pod: pod, container: container, ending: .exited(0), standardOutput: records.joined(separator: "\n") + "\n", standardError: "")
        }
        let result = Judge.judge(twoPods, outcomes: [
            // The hostname probe runs through the wait in the last case only.
            ran("a", "server", serverStart, serverEnd), serverStart == 270 ? ran("a", "hostname", 100, 400) : ran("a", "hostname", serverStart, min(serverEnd, serverStart + 50)),
            ran("b", "client", 200, 300, [#"{"podbench":"check","name":"tcp.isolated","ok":true,"message":"refused","at":250}"#]),
        ], startedAt: Date(), duration: 1)
        let isolated = try #require(result.checks.first { $0.name == "tcp.isolated" })
        if let apart {
            #expect(isolated.outcome == .inconclusive)
            #expect(isolated.message == "not judged: no container of pod a it could reach ran while this one waited (they \(apart)), so nothing of that pod was there to be reached; raise wait (refused)")
        } else {
            #expect(isolated.outcome == .pass, "\(isolated.message)")
        }
    }
}
