import PodbenchCore
import PodbenchProbeInterface
import Testing

/// Where a measurement's ends ran, judged from what they reported, and how a scenario's
/// measuring containers are numbered and placed.
@Suite struct PlacementJudgementTests {
    func end(_ container: String, side: Int, asked: Placement = .crossCPU, pinned: Int?, unpinned: String? = nil) -> MetricPlacement.Side {
        MetricPlacement.Side(container: container, cpu: CPUUse(asked: asked, side: side, pinned: pinned, unpinned: unpinned, allowed: [0, 1], ran: [pinned ?? 0], migrations: 0, involuntarySwitches: 2))
    }

    @Test func theEndsCPUsMakeThePlacement() throws {
        #expect(MetricPlacement(sides: [end("p/s", side: 0, pinned: 0), end("p/c", side: 1, pinned: 1)])?.placement == .crossCPU)
        let same = try #require(MetricPlacement(sides: [end("p/s", side: 0, asked: .sameCPU, pinned: 1), end("p/c", side: 1, asked: .sameCPU, pinned: 1)]))
        #expect(same.placement == .sameCPU && same.note == nil)
        #expect(same.summary == "p/s CPU 1 (2 preempted), p/c CPU 1 (2 preempted)")
        #expect(MetricPlacement(sides: []) == nil)
    }

    /// An end that could not be pinned makes the metric free, and the note says why.
    @Test func anUnpinnedEndMakesItFreeAndSaysWhy() throws {
        let placement = try #require(MetricPlacement(sides: [
            end("p/s", side: 0, pinned: nil, unpinned: "the container may use only CPU 0: there is no second CPU for the other side"),
            end("p/c", side: 1, pinned: nil, unpinned: "the container may use only CPU 0: there is no second CPU for the other side"),
        ]))
        #expect(placement.placement == .free)
        #expect(placement.note?.hasPrefix("p/s: the container may use only CPU 0") == true, "\(placement)")
    }

    /// Containers whose CPU sets differ cannot share one: asked for same-cpu, they ran cross-cpu,
    /// and the metric is that, with the reason.
    @Test func whatTheEndsHadWinsOverWhatWasAsked() throws {
        let placement = try #require(MetricPlacement(sides: [end("p/s", side: 0, asked: .sameCPU, pinned: 2), end("p/c", side: 1, asked: .sameCPU, pinned: 3)]))
        #expect(placement.placement == .crossCPU)
        #expect(placement.note == "asked for same-cpu, the ends were pinned to CPUs 2, 3")
    }

    @Test func eachEndGetsItsCPUFromTheAllowedOnes() {
        #expect(CPUUse.cpu(for: .free, side: 1, allowed: [0, 1]) == .success(nil))
        #expect(CPUUse.cpu(for: .sameCPU, side: 1, allowed: [2, 3]) == .success(2))
        #expect(CPUUse.cpu(for: .crossCPU, side: 0, allowed: [2, 3]) == .success(2))
        #expect(CPUUse.cpu(for: .crossCPU, side: 3, allowed: [2, 3]) == .success(3))
        #expect(CPUUse.cpu(for: .crossCPU, side: 1, allowed: [5]) == .failure(.init("the container may use only CPU 5: there is no second CPU for the other side")))
    }

    /// podbench numbers the measuring containers in order (each pair's ends one after the
    /// other), leaves the others alone, and keeps what a scenario gives itself.
    @Test func theMeasuringContainersAreNumberedInOrder() throws {
        let placed = try ScenarioLoader.parse("""
            name: two-pairs
            description: Two pairs and a bystander.
            pod:
              name: p
              containers:
                - {name: s1, probe: echo-server, args: {transport: tcp, port: 7001}}
                - {name: c1, probe: echo-client, args: {transport: tcp, port: 7001}}
                - {name: h, probe: hostname, args: {name: p}}
                - {name: s2, probe: ipc-server, args: {channel: sysv-msg, key: 7, cpu: free}}
                - {name: c2, probe: ipc-client, args: {channel: sysv-msg, key: 7}}
            expect: [{check: pod.completed, level: MUST}]
            """, file: "t.yaml").placed(.sameCPU)
        let args = placed.pods[0].containers.map { container in
            Dictionary(container.args.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        }
        #expect(args.map { $0["cpu"] } == ["same-cpu", "same-cpu", nil, "free", "same-cpu"])
        #expect(args.map { $0["cpu-side"] } == ["0", "1", nil, "2", "3"])
    }
}
