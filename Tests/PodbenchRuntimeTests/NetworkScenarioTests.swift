import Foundation
import PodbenchCore
import Testing

@Suite struct NetworkScenarioTests {
    @Test(arguments: ["localhost-tcp", "localhost-udp", "abstract-socket", "shared-port-space", "shared-hostname", "pod-isolation-network", "localhost-capture", "localhost-throughput"])
    func theNetworkScenariosPass(_ name: String) async throws {
        try await expectRepositoryScenarioPasses(name)
    }

    @Test func theCaptureTimesTheExchangeItSaw() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try named("localhost-capture"))
        let exchange = try #require(result.checks.first { $0.name == "capture.exchange" })
        #expect(exchange.passed, "\(exchange.message)")
        let gaps = try #require(result.metrics.first { $0.name == "capture.request-to-reply" })
        // Every timed round trip (and the warm-up) is a request and a reply on lo.
        #expect(gaps.count >= 2000)
        let client = try #require(result.metrics.first { $0.name == "tcp.round-trip" })
        // A reply leaves the server before the client has it back.
        #expect(gaps.percentile(50) < client.percentile(50))
        try runtime.expectNothingLeft()
    }

    @Test func throughputIsMeasuredInMBPerSecond() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try named("localhost-throughput"))
        let throughput = try #require(result.metrics.first { $0.name == "bulk.throughput" })
        #expect(throughput.unit == "MB/s")
        #expect(throughput.count == 1 && throughput.max > 0)
        #expect(result.checks.first { $0.name == "bulk.throughput" }?.message.contains("268435456 of 268435456 bytes acknowledged") == true)
        try runtime.expectNothingLeft()
    }

    @Test func ipv6PassesOrIsSkippedWithTheReason() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try named("localhost-ipv6"))
        #expect(result.status == .pass)
        let reachable = try #require(result.checks.first { $0.name == "tcp6.reachable" })
        #expect(reachable.outcome == .pass || (reachable.outcome == .skip && reachable.message.contains("the pod has no tcp6 loopback")))
        try runtime.expectNothingLeft()
    }

    /// Each sharing check, with the sharing taken away: the two ends in two pods.
    static let splitPairs: [(check: String, first: String, second: String)] = [
        ("tcp.reachable", "{name: s, probe: echo-server, args: {transport: tcp, wait: 1s}}", "{name: c, probe: echo-client, args: {transport: tcp, wait: 1s}}"),
        ("udp.reachable", "{name: s, probe: echo-server, args: {transport: udp, wait: 1s}}", "{name: c, probe: echo-client, args: {transport: udp, wait: 1s}}"),
        ("abstract.reachable", "{name: s, probe: echo-server, args: {transport: abstract, wait: 1s}}", "{name: c, probe: echo-client, args: {transport: abstract, wait: 1s}}"),
        ("net.port-space", "{name: h, probe: port-holder, args: {hold: 1500ms}}", "{name: c, probe: port-contender, args: {wait: 1s}}"),
        ("uts.hostname", "{name: h, probe: hostname, args: {name: first}}", "{name: c, probe: hostname, args: {name: first}}"),
        ("bulk.throughput", "{name: r, probe: bulk-receiver, args: {wait: 1s}}", "{name: s, probe: bulk-sender, args: {wait: 1s}}"),
    ]

    @Test(arguments: splitPairs.indices)
    func aSharingCheckFailsWhenTheSharingIsTakenAway(_ index: Int) async throws {
        let pair = Self.splitPairs[index]
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: split
            description: Two ends of a channel in two pods.
            timeout: 20s
            pods:
              - name: first
                containers: [\(pair.first)]
              - name: second
                containers: [\(pair.second)]
            expect:
              - {check: \(pair.check), level: MUST}
            """))
        #expect(result.status == .fail, "\(pair.check)")
        let failed = result.checks.filter { $0.name == pair.check && $0.failed }
        #expect(!failed.isEmpty, "\(pair.check): \(result.checks)")
        try runtime.expectNothingLeft()
    }

    /// And an isolation check fails when the two ends share a pod.
    @Test func anIsolationCheckFailsWithinOnePod() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: not-isolated
            description: Isolation expected of containers that share a pod.
            timeout: 20s
            pod:
              name: one
              volumes: [{name: sync, emptyDir: {}}]
              containers:
                - {name: s, probe: echo-server, args: {transport: tcp, expect: isolated, wait: 10s}}
                - {name: c, probe: echo-client, args: {transport: tcp, expect: isolated, wait: 10s}}
                - {name: h, probe: port-holder, args: {hold: 20s, until: /sync/tried}, volumeMounts: [{name: sync, mountPath: /sync}]}
                - {name: p, probe: port-contender, args: {expect: isolated, wait: 10s, done: /sync/tried}, volumeMounts: [{name: sync, mountPath: /sync}]}
            expect:
              - {check: tcp.isolated, level: MUST}
              - {check: net.port-space, level: MUST}
            """))
        #expect(result.status == .fail)
        #expect(result.checks.first { $0.name == "tcp.isolated" }?.failed == true)
        #expect(result.checks.first { $0.name == "net.port-space" }?.failed == true)
        try runtime.expectNothingLeft()
    }
}
