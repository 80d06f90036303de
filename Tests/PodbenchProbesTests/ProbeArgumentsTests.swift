import PodbenchProbeInterface
@testable import PodbenchProbes
import Testing

@Suite struct ProbeArgumentsTests {
    @Test func defaultsFillWhatIsNotGiven() throws {
        let arguments = try ProbeArguments(spec: SysVProducerProbe.spec, commandLine: ["--key", "0x10", "--count", "5"])
        #expect(arguments[SysVQueueParameters.key] == 16)
        #expect(arguments[SysVQueueParameters.count] == 5)
        #expect(arguments[SysVQueueParameters.size] == 64)
        #expect(arguments[SysVProducerRole.interval] == 1_000_000)
        #expect(arguments[SequencingParameters.after] == nil, "an optional path not given, and here not even declared, is nil")
    }

    static let badCommandLines: [([String], String)] = [
        (["--speed", "3"], "unknown parameter '--speed'"),
        (["--count"], "--count needs a value"),
        (["--count", "many"], "'many' is not an integer"),
        (["--count", "0"], "0 is out of range"),
        (["--wait", "soon"], "'soon' is not a duration"),
        (["count", "3"], "unexpected argument 'count'"),
    ]

    @Test(arguments: badCommandLines)
    func badArgumentsGetAClearError(_ commandLine: [String], _ expected: String) {
        #expect {
            try ProbeArguments(spec: SysVProducerProbe.spec, commandLine: commandLine)
        } throws: { error in
            "\(error)".contains(expected) && "\(error)".hasPrefix("sysv-producer: ")
        }
    }

    @Test func aChoiceOutsideItsWordsIsAnError() {
        #expect {
            try ProbeArguments(spec: EchoClientProbe.spec, commandLine: ["--transport", "sctp"])
        } throws: { error in
            "\(error)" == "echo-client: --transport: 'sctp' is not allowed; expected one of tcp, udp, tcp6, udp6, abstract, unix, unixgram"
        }
    }

    @Test func aRequiredParameterMustBeGiven() {
        #expect(throws: ProbeError.self) {
            try ProbeArguments(spec: VolumeWriterRole.spec, commandLine: [])
        }
    }

    @Test(arguments: [("250ms", 250_000_000), ("2s", 2_000_000_000), ("1m", 60_000_000_000), ("20us", 20_000), ("1.5", 1_500_000_000)] as [(String, UInt64)])
    func durationsParse(_ text: String, _ nanoseconds: UInt64) {
        #expect(DurationText.nanoseconds(text) == nanoseconds)
    }

    @Test func badDurationsDoNotParse() {
        #expect(DurationText.nanoseconds("-1s") == nil)
        #expect(DurationText.nanoseconds("fast") == nil)
    }

    @Test func durationsFormatShort() {
        #expect(DurationText.format(nanoseconds: 850) == "850ns")
        #expect(DurationText.format(nanoseconds: 12_345) == "12.3us")
        #expect(DurationText.format(nanoseconds: 4_560_000) == "4.56ms")
        #expect(DurationText.format(nanoseconds: 1_200_000_000) == "1.20s")
    }
}

@Suite struct ProbeCatalogTests {
    /// A valid value of each kind, for parameters a test must give.
    static func sample(_ kind: ParameterSpec.Kind) -> String {
        switch kind {
        case .integer(let range): String(range.lowerBound)
        case .duration: "1s"
        case .path: "/v/x"
        case .choice(let words): words[0]
        case .name: "peer"
        case .rate(let range): "\(range.lowerBound)/s"
        case .address: "10.0.0.1"
        case .turns: "0+1000000/5000000@0"
        }
    }

    /// Every role reads only the parameters it declares (reading another is a programming error
    /// that stops the probe), and its defaults are valid values.
    @Test(arguments: ProbeCatalog.specs.map(\.role))
    func everyRoleStartsFromItsDefaults(_ role: String) throws {
        let type = try #require(ProbeTypes.type(role: role))
        let required = type.spec.parameters.filter(\.isRequired)
        let arguments = try ProbeArguments(spec: type.spec, commandLine: required.flatMap { ["--\($0.name)", Self.sample($0.kind)] })
        _ = try type.init(arguments)
        for parameter in type.spec.parameters {
            if let fallback = parameter.defaultValue {
                #expect(parameter.problem(with: fallback) == nil, "\(role) --\(parameter.name) default '\(fallback)'")
            }
        }
    }

    /// What `--scale` stretches is declared by each parameter: across the catalogue, every
    /// `rounds` and `connects` and the lines a volume writer writes and its reader expects (how
    /// much is measured), and every `wait` and `duration` (how long a peer is waited for),
    /// nothing else.
    @Test func theScaledParametersAreTheMeasurementsAndTheWaits() {
        for spec in ProbeCatalog.specs {
            for parameter in spec.parameters {
                let expected: ParameterScaling = switch (spec.role, parameter.name) {
                case (_, "rounds"), (_, "connects"), ("volume-writer", "count"), ("volume-reader", "count"): .measurement
                case (_, "wait"), (_, "duration"): .waiting
                default: .fixed
                }
                #expect(parameter.scaling == expected, "\(spec.role) --\(parameter.name)")
            }
        }
    }

    /// The host knows the roles by their specs alone; every spec has its body, and the other way.
    @Test func everySpecHasItsBodyAndEveryBodyItsSpec() {
        #expect(ProbeTypes.all.map { $0.spec.role } == ProbeCatalog.specs.map(\.role))
    }

    @Test func roleNamesAreUnique() {
        let roles = ProbeCatalog.specs.map(\.role)
        #expect(Set(roles).count == roles.count)
    }
}

@Suite struct OpenLoopScheduleTests {
    @Test func ratesAreWrittenPerSecond() {
        let rate = ParameterSpec.Kind.rate(1...1_000_000)
        #expect(ParameterSpec.rate("20000/s") == 20000)
        for bad in ["20000", "20k/s", "0/s", "-5/s", "/s"] { #expect(ParameterSpec.rate(bad) == nil, "\(bad)") }
        let spec = OpenLoop.rate.spec
        #expect(spec.kind == rate && !spec.isRequired)
        #expect(spec.problem(with: "2000000/s") == "2000000/s is out of range")
        #expect(spec.problem(with: "fast") == "'fast' is not a rate such as 20000/s")
    }

    /// A stall is charged to every request that fell due during it: each one's start is when it
    /// was due, not when it could leave.
    @Test func aStallIsChargedToEveryRequestDueDuringIt() {
        var schedule = SendSchedule(rate: 1000)
        let first = schedule.nextStart()
        sleep(nanoseconds: 20_000_000)
        let starts = (0..<19).map { _ in schedule.nextStart() }
        let now = monotonicNanoseconds()
        #expect(starts == (1...19).map { first + UInt64($0) * 1_000_000 })
        #expect(now - starts[0] >= 19_000_000, "the first request due in the stall waited for all of it")
        #expect(schedule.metric(MetricName("tcp.round-trip")).text == "tcp.round-trip-open-loop")
    }

    /// Turns as long as half the interval between requests (`Scenario.turnRotation`): each
    /// request falls due at the start of its client's turn, the twin's half a rotation later,
    /// and none waits through the other's turn; turns of 1 ms each would hold half of them back.
    @Test func anOpenLoopInTurnsOfHalfItsIntervalKeepsItsSchedule() {
        let offset = TurnClock.clockOffset()
        let epoch = realtimeNanoseconds() + 2_000_000
        var pod = SendSchedule(rate: 5000, turns: Turns(offset: 0, length: 100_000, period: 200_000, epoch: epoch))
        var twin = SendSchedule(rate: 5000, turns: Turns(offset: 100_000, length: 100_000, period: 200_000, epoch: epoch))
        let podStarts = (0..<20).map { _ in pod.nextStart() }, twinStarts = (0..<20).map { _ in twin.nextStart() }
        #expect(zip(podStarts, podStarts.dropFirst()).allSatisfy { $1 - $0 == 200_000 }, "every 200 us: \(podStarts)")
        #expect(zip(twinStarts, twinStarts.dropFirst()).allSatisfy { $1 - $0 == 200_000 })
        let fromTurn = { (start: UInt64, turn: Int64) -> Int64 in
            let position = (Int64(bitPattern: start &+ offset &- epoch) - turn) % 200_000
            return min(abs(position), 200_000 - abs(position))
        }
        #expect(podStarts.allSatisfy { fromTurn($0, 0) < 2_000 } && twinStarts.allSatisfy { fromTurn($0, 100_000) < 2_000 },
                "each at its turn's start (within the clocks' offset, read twice): \(podStarts.map { fromTurn($0, 0) }) \(twinStarts.map { fromTurn($0, 100_000) })")
        var long = SendSchedule(rate: 5000, turns: Turns(offset: 0, length: 1_000_000, period: 2_000_000, epoch: epoch))
        let longStarts = (0..<10).map { _ in long.nextStart() }
        #expect(zip(longStarts, longStarts.dropFirst()).contains { $1 - $0 > 200_000 }, "1 ms turns: requests held back through the other's")
    }

    @Test func aClosedLoopStartsNow() {
        var schedule = SendSchedule(rate: nil)
        let before = monotonicNanoseconds()
        let start = schedule.nextStart()
        #expect(start >= before && start - before < 1_000_000)
        #expect(schedule.metric(MetricName("tcp.round-trip")).text == "tcp.round-trip")
    }
}
