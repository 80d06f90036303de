import Foundation

/// JUnit XML as CI systems read it, valid against the JUnit schema Jenkins reads (junit-10.xsd):
/// a test suite per scenario of each run, a test case per check, and a test case for the
/// regression gate. What it calls a failure is what fails the run: GitLab, Jenkins and sonobuoy
/// (which marks its plugin failed on any `failure`) call the run what podbench calls it.
///
/// - Each suite's properties are the run's fingerprint (runtime, runtime class or handler,
///   kernel, cgroup version, podbench version, placement...), the scenario's tags and the run's
///   outcome.
/// - Each test case's class names the run's variant, `podbench.RUNTIME.CLASS.PLACEMENT.SCENARIO`,
///   so that the runs of a matrix stay apart where a test's identity is its class and name
///   (GitLab keeps one of each); its name is like a Kubernetes e2e test's, its level and the
///   scenario's tags in brackets (`tcp.reachable [MUST] [network] [tcp]`); its time is how long
///   the check took to judge; its `system-out` says its level, outcome and the container that
///   reported it, and the metrics that container measured (the schema allows no properties on a
///   test case).
/// - A failed MUST check is a `failure` (a flaky one, type `flaky`); a failed SHOULD or INFO
///   check, a warning that passes the run, is `skipped` with the message `warning: ...`; a
///   skipped or inconclusive check is `skipped`; a scenario that ended in an infrastructure
///   error an `error` test case. The gate's test case fails when the gate failed the run
///   (`--fail-on-regression`), and is `skipped` with a warning when metrics regressed without it.
public struct JUnitReport: ReportFormat {
    public init() {}

    public func render(_ report: Report) -> String {
        var suites: [String] = []
        var totals = (tests: 0, failures: 0, errors: 0, time: 0.0)
        func add(_ suite: String, tests: Int, failures: Int, errors: Int, time: Double) {
            suites.append(suite)
            totals.tests += tests
            totals.failures += failures
            totals.errors += errors
            totals.time += time
        }
        for run in report.runs {
            let variant = Self.variant(of: run)
            let outcome = report.outcome(of: run)
            for scenario in run.scenarios {
                let tags = scenario.tags.map { " [\($0)]" }.joined()
                let classname = "podbench.\(variant).\(scenario.name)"
                var cases: [String] = []
                var counts = (failures: 0, errors: 0, skipped: 0)
                if scenario.status == .skipped {
                    counts.skipped += 1
                    cases.append(testCase(classname, "scenario" + tags, 0, body: element("skipped", ["message": scenario.error ?? "skipped"])))
                }
                if scenario.status == .error {
                    counts.errors += 1
                    cases.append(testCase(classname, "scenario" + tags, scenario.duration, body: element("error", ["message": scenario.error ?? "error", "type": "infrastructure"])))
                }
                for check in scenario.checks {
                    var body = ""
                    switch check.outcome {
                    case .pass: break
                    case .skip:
                        counts.skipped += 1
                        body = element("skipped", ["message": check.message])
                    case .inconclusive:
                        // Not judged; a MUST check so leaves its scenario an error test case above.
                        counts.skipped += 1
                        body = element("skipped", ["message": "inconclusive: \(check.message)"])
                    case .fail where check.level != .must, .flaky where check.level != .must:
                        // A warning: the run passes with it.
                        counts.skipped += 1
                        body = element("skipped", ["message": "warning: \(check.level.rawValue) check \(check.outcome == .flaky ? "flaky" : "failed"): \(check.message)"])
                    case .fail:
                        counts.failures += 1
                        // The message once (sonobuoy shows a failure's message and its text both).
                        body = element("failure", ["message": check.message, "type": check.level.rawValue])
                    case .flaky:
                        counts.failures += 1
                        body = element("failure", ["message": "flaky: failed in \(check.failures) of \(check.reports) repetitions: \(check.message)", "type": "flaky"])
                    }
                    var said = ["level: \(check.level.rawValue)", "outcome: \(check.outcome.rawValue)"] + (check.source.map { ["source: \($0)"] } ?? [])
                    // The metrics of the container that reported it (the pods' own, by the runner's checks).
                    let measured = scenario.metrics.filter { $0.source == check.source }
                    if !measured.isEmpty { said += ["metrics:"] + measured.map(Self.metricLine) }
                    body += element("system-out", [:], text: said.joined(separator: "\n"))
                    let twins = scenario.checks.filter { $0.name == check.name }.count > 1
                    let name = check.name + (twins ? check.source.map { " (\($0))" } ?? "" : "") + " [\(check.level.rawValue)]" + tags
                    cases.append(testCase(classname, name, check.duration ?? 0, body: body))
                }
                let properties = self.properties(of: run, scenario, outcome).map { element("property", ["name": $0.name, "value": $0.value]) }.joined()
                let attributes: [String: String] = [
                    "name": "\(variant).\(scenario.name)", "tests": "\(cases.count)", "failures": "\(counts.failures)", "errors": "\(counts.errors)",
                    "skipped": "\(counts.skipped)", "time": String(format: "%.3f", scenario.duration), "hostname": run.run.host,
                    "timestamp": Figures.time(run.run.startedAt, separator: "T", zone: ""),
                ]
                var suite = "  <testsuite" + attributeText(attributes) + ">\n    <properties>\(properties)</properties>\n"
                suite += cases.map { "    " + $0 + "\n" }.joined()
                if !scenario.metrics.isEmpty { suite += "    " + element("system-out", [:], text: scenario.metrics.map(Self.metricLine).joined(separator: "\n")) + "\n" }
                add(suite + "  </testsuite>\n", tests: cases.count, failures: counts.failures, errors: counts.errors, time: scenario.duration)
            }
            let gate = gateCase(run, report, outcome, classname: "podbench.\(variant)")
            let suite = "  <testsuite" + attributeText(["name": "\(variant).regression-gate", "tests": "1", "failures": "\(gate.failed ? 1 : 0)", "errors": "0",
                                                          "skipped": "\(gate.skipped ? 1 : 0)", "time": "0.000", "hostname": run.run.host,
                                                          "timestamp": Figures.time(run.run.startedAt, separator: "T", zone: "")])
                + ">\n    <properties>" + [("podbench.run", "\(run.id)"), ("podbench.outcome", outcome.rawValue)].map { element("property", ["name": $0.0, "value": $0.1]) }.joined()
                + "</properties>\n    \(gate.text)\n  </testsuite>\n"
            add(suite, tests: 1, failures: gate.failed ? 1 : 0, errors: 0, time: 0)
        }
        // The schema gives the root no skipped count: each suite has its own.
        let attributes = ["name": "podbench", "tests": "\(totals.tests)", "failures": "\(totals.failures)", "errors": "\(totals.errors)", "time": String(format: "%.3f", totals.time)]
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" + attributeText(attributes) + ">\n" + suites.joined() + "</testsuites>\n"
    }

    /// `RUNTIME.CLASS.PLACEMENT`: which run of a matrix this is (`local.default.cross-cpu`).
    static func variant(of run: RunReport) -> String {
        "\(run.run.runtime).\(run.fingerprint.runtimeClass ?? "default").\((run.fingerprint.placement ?? .free).rawValue)"
    }

    /// `tcp.round-trip [cross-cpu]: count 2000 p50 12.1us ...`.
    static func metricLine(_ metric: MetricReport) -> String {
        "\(metric.label): " + (metric.withoutSamples ?? "count \(metric.count) " + Figures.percentiles.map { "\($0.label) \(Figures.format(metric.percentile($0.value), metric.unit))" }.joined(separator: " "))
    }

    /// The regression gate's test case: failed when the gate failed the run; a warning
    /// (`skipped`) when metrics regressed without the gate; passed otherwise, saying against
    /// what.
    private func gateCase(_ run: RunReport, _ report: Report, _ outcome: RunOutcome, classname: String) -> (text: String, failed: Bool, skipped: Bool) {
        let comparison = report.comparison(of: run)
        let regressions = comparison?.regressions ?? []
        let listed = regressions.map { metric in
            "\(metric.key.label): " + (metric.judgement.map { "p50 \(Figures.change($0.p50Change)), p99 \(Figures.change($0.p99Change)): \($0.reason)" } ?? "regressed")
        }
        let against = comparison.map { "against \($0.baseLabel)" } ?? "no reference: no baseline and no earlier run with this fingerprint"
        let said = element("system-out", [:], text: ([against] + listed).joined(separator: "\n"))
        let name = "regression gate"
        if outcome == .regressed {
            let message = "\(Figures.count(regressions.count, "metric")) regressed \(against)"
            return (testCase(classname, name, 0, body: element("failure", ["message": message, "type": "regression"]) + said), true, false)
        }
        if !regressions.isEmpty {
            return (testCase(classname, name, 0, body: element("skipped", ["message": "warning: \(Figures.count(regressions.count, "metric")) regressed \(against) (the gate was not asked for: --fail-on-regression)"]) + said), false, true)
        }
        return (testCase(classname, name, 0, body: said), false, false)
    }

    /// A run that could not be carried out: one suite, one test case, an `error` saying why.
    public static func failedRun(_ message: String) -> String {
        let report = JUnitReport()
        let testCase = report.testCase("podbench.run", "podbench run", 0, body: report.element("error", ["message": message, "type": "podbench"]))
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites errors=\"1\" failures=\"0\" name=\"podbench\" tests=\"1\">\n"
            + "  <testsuite errors=\"1\" failures=\"0\" name=\"podbench\" skipped=\"0\" tests=\"1\">\n    \(testCase)\n  </testsuite>\n</testsuites>\n"
    }

    /// A suite's properties: the run, its outcome, its fingerprint, the scenario's repetitions
    /// and tags.
    func properties(of run: RunReport, _ scenario: ScenarioReport, _ outcome: RunOutcome) -> [(name: String, value: String)] {
        let fingerprint = run.fingerprint
        var properties: [(String, String)] = [
            ("podbench.run", "\(run.id)"),
            ("podbench.outcome", outcome.rawValue),
            ("podbench.host", run.run.host),
            ("podbench.runtime", run.run.runtime),
            ("podbench.runtime-version", fingerprint.runtimeVersion),
            ("podbench.runtime-class", fingerprint.runtimeClass ?? "default"),
            ("podbench.kernel", fingerprint.kernel),
            ("podbench.cgroup", fingerprint.cgroupVersion),
            ("podbench.cpu", fingerprint.cpuCount > 0 ? "\(fingerprint.cpuModel) × \(fingerprint.cpuCount)" : fingerprint.cpuModel),
            ("podbench.pod-limits", "cpu \(fingerprint.podCPULimit), memory \(fingerprint.podMemoryLimit)"),
            ("podbench.placement", (fingerprint.placement ?? .free).rawValue),
            ("podbench.cpu-idle", fingerprint.cpuIdle?.rawValue ?? "unknown"),
            ("podbench.version", fingerprint.podbenchVersion),
            ("podbench.fingerprint", fingerprint.digest),
            ("podbench.repetitions", "\(scenario.repetitions)"),
            ("podbench.tags", scenario.tags.joined(separator: ",")),
        ]
        if let nodes = fingerprint.nodes { properties.append(("podbench.nodes", nodes)) }
        return properties.map { (name: $0.0, value: $0.1) }
    }

    private func testCase(_ classname: String, _ name: String, _ time: Double, body: String) -> String {
        let attributes = ["classname": classname, "name": name, "time": String(format: "%.3f", time)]
        return body.isEmpty ? "<testcase" + attributeText(attributes) + "/>" : "<testcase" + attributeText(attributes) + ">" + body + "</testcase>"
    }

    private func element(_ name: String, _ attributes: [String: String], text: String? = nil) -> String {
        guard let text else { return "<\(name)" + attributeText(attributes) + "/>" }
        return "<\(name)" + attributeText(attributes) + ">" + HTML.escape(text) + "</\(name)>"
    }

    /// Attributes in a stable order, every value escaped.
    private func attributeText(_ attributes: [String: String]) -> String {
        attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\"\(HTML.escape($0.value))\"" }.joined()
    }
}
