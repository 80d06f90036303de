import Foundation
import PodbenchCore
import Testing

/// Open-loop latency (`rate`): a metric of its own, measured from when each request was due,
/// and a check on whether the client kept the rate.
@Suite struct OpenLoopTests {
    @Test(arguments: [("localhost-tcp-open-loop", "tcp"), ("localhost-udp-open-loop", "udp"),
                      ("ipc-sysv-msg-open-loop", "sysv-msg"), ("ipc-sysv-shm-open-loop", "sysv-shm")])
    func theOpenLoopScenariosMeasureFromWhenEachRequestWasDue(_ name: String, _ family: String) async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try named(name))
        #expect(result.status == .pass, "\(result.checks.filter { !$0.passed })")
        let metric = try #require(result.metrics.first { $0.name.hasPrefix(family + ".round-trip") && $0.name.hasSuffix("-open-loop") })
        #expect(metric.count == 2000)
        #expect(!result.metrics.contains { $0.name.hasPrefix(family + ".round-trip") && !$0.name.hasSuffix("-open-loop") }, "no closed-loop figure under that name")
        // Whether 5,000/s is kept depends on the machine's load (an INFO check); that it is
        // said does not.
        let rate = try #require(result.checks.first { $0.name == "\(family).rate" })
        #expect(rate.level == .info && rate.message.hasPrefix("2200 requests due at 5000/s went at "), "\(rate.message)")
        try runtime.expectNothingLeft()
    }

    /// A rate any ping-pong keeps, however loaded the machine (a request every 10 ms).
    @Test func aRateWithinReachIsKept() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: easy
            description: A slow steady rate.
            pod:
              name: p
              containers:
                - {name: s, probe: ipc-server, args: {channel: sysv-msg, key: 0x5702}}
                - {name: c, probe: ipc-client, args: {channel: sysv-msg, key: 0x5702, rate: 100/s, rounds: 30, warmup: 0}}
            expect:
              - {check: sysv-msg.rate, level: MUST}
            """))
        let rate = try #require(result.checks.first { $0.name == "sysv-msg.rate" })
        #expect(rate.passed && rate.message.hasPrefix("30 requests due at 100/s went at "), "\(rate.message)")
        try runtime.expectNothingLeft()
    }

    /// A rate no ping-pong here reaches (a request every microsecond): the client says so.
    @Test func aClientThatCannotKeepTheRateSaysSo() async throws {
        let runtime = try IsolatedRuntime()
        let result = await runtime.run(try scenario("""
            name: too-fast
            description: A rate beyond the channel.
            pod:
              name: p
              containers:
                - {name: s, probe: ipc-server, args: {channel: sysv-msg, key: 0x5701}}
                - {name: c, probe: ipc-client, args: {channel: sysv-msg, key: 0x5701, rate: 1000000/s}}
            expect:
              - {check: sysv-msg.rate, level: SHOULD}
            """))
        let rate = try #require(result.checks.first { $0.name == "sysv-msg.rate" })
        #expect(rate.failed && rate.message.contains("the client could not keep the rate"), "\(rate.message)")
        #expect(result.checks.first { $0.name == "sysv-msg.round-trip" }?.passed == true, "the channel itself is fine")
        try runtime.expectNothingLeft()
    }
}
