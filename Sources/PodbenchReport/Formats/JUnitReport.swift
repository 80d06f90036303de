import Foundation

/// JUnit XML as CI systems read it, valid against the JUnit schema Jenkins reads (junit-10.xsd):
/// a test suite per scenario of each run, a test case per check.
///
/// - Each suite's properties are the run's fingerprint (runtime, runtime class or handler,
///   kernel, cgroup version, podbench version, placement...) and the scenario's tags.
/// - Each test case is named like a Kubernetes e2e test, its level and the scenario's tags in
///   brackets (`tcp.reachable [MUST] [network] [tcp]`), so that CI test views filter on them;
///   its `system-out` says its level and the container that reported it (the schema allows no
///   properties on a test case).
/// - A failed check is a `failure` (type: its level); a flaky one a `failure` of type `flaky`; a
///   skipped or inconclusive one `skipped`; a scenario that ended in an infrastructure error an
///   `error` test case.
public struct JUnitReport: ReportFormat {
    public init() {}

    public func render(_ report: Report) -> String {
        var suites: [String] = []
        var totals = (tests: 0, failures: 0, errors: 0, time: 0.0)
        for run in report.runs {
            for scenario in run.scenarios {
                let tags = scenario.tags.map { " [\($0)]" }.joined()
                var cases: [String] = []
                var counts = (failures: 0, errors: 0, skipped: 0)
                if scenario.status == .skipped {
                    counts.skipped += 1
                    cases.append(testCase(scenario.name, "scenario" + tags, 0, body: element("skipped", ["message": scenario.error ?? "skipped"])))
                }
                if scenario.status == .error {
                    counts.errors += 1
                    cases.append(testCase(scenario.name, "scenario" + tags, scenario.duration, body: element("error", ["message": scenario.error ?? "error", "type": "infrastructure"], text: scenario.error ?? "")))
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
                    case .fail:
                        counts.failures += 1
                        body = element("failure", ["message": check.message, "type": check.level.rawValue], text: evidence(check))
                    case .flaky:
                        counts.failures += 1
                        body = element("failure", ["message": "flaky: failed in \(check.failures) of \(check.reports) repetitions: \(check.message)", "type": "flaky"], text: evidence(check))
                    }
                    let said = ["level: \(check.level.rawValue)", "outcome: \(check.outcome.rawValue)"] + (check.source.map { ["source: \($0)"] } ?? [])
                    body += element("system-out", [:], text: said.joined(separator: "\n"))
                    let twins = scenario.checks.filter { $0.name == check.name }.count > 1
                    let name = check.name + (twins ? check.source.map { " (\($0))" } ?? "" : "") + " [\(check.level.rawValue)]" + tags
                    cases.append(testCase(scenario.name, name, 0, body: body))
                }
                let output = scenario.metrics.map { metric in
                    "\(metric.label): "
                        + (metric.withoutSamples ?? "count \(metric.count) " + Figures.percentiles.map { "\($0.label) \(Figures.format(metric.percentile($0.value), metric.unit))" }.joined(separator: " "))
                }
                let properties = self.properties(of: run, scenario).map { element("property", ["name": $0.name, "value": $0.value]) }.joined()
                let attributes: [String: String] = [
                    "name": scenario.name, "tests": "\(cases.count)", "failures": "\(counts.failures)", "errors": "\(counts.errors)",
                    "skipped": "\(counts.skipped)", "time": String(format: "%.3f", scenario.duration), "hostname": run.run.host,
                    "timestamp": Figures.time(run.run.startedAt, separator: "T", zone: ""),
                ]
                var suite = "  <testsuite" + attributeText(attributes) + ">\n    <properties>\(properties)</properties>\n"
                suite += cases.map { "    " + $0 + "\n" }.joined()
                if !output.isEmpty { suite += "    " + element("system-out", [:], text: output.joined(separator: "\n")) + "\n" }
                suites.append(suite + "  </testsuite>\n")
                totals.tests += cases.count
                totals.failures += counts.failures
                totals.errors += counts.errors
                totals.time += scenario.duration
            }
        }
        // The schema gives the root no skipped count: each suite has its own.
        let attributes = ["name": "podbench", "tests": "\(totals.tests)", "failures": "\(totals.failures)", "errors": "\(totals.errors)", "time": String(format: "%.3f", totals.time)]
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" + attributeText(attributes) + ">\n" + suites.joined() + "</testsuites>\n"
    }

    /// A run that could not be carried out: one suite, one test case, an `error` saying why.
    public static func failedRun(_ message: String) -> String {
        let report = JUnitReport()
        let testCase = report.testCase("run", "podbench run", 0, body: report.element("error", ["message": message, "type": "podbench"], text: message))
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites errors=\"1\" failures=\"0\" name=\"podbench\" tests=\"1\">\n"
            + "  <testsuite errors=\"1\" failures=\"0\" name=\"podbench\" skipped=\"0\" tests=\"1\">\n    \(testCase)\n  </testsuite>\n</testsuites>\n"
    }

    /// A suite's properties: the run, its fingerprint, the scenario's repetitions and tags.
    func properties(of run: RunReport, _ scenario: ScenarioReport) -> [(name: String, value: String)] {
        let fingerprint = run.fingerprint
        var properties: [(String, String)] = [
            ("podbench.run", "\(run.id)"),
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

    private func evidence(_ check: CheckSummary) -> String {
        "\(check.level.rawValue) \(check.name)" + (check.source.map { " (\($0))" } ?? "") + ": \(check.message)"
    }

    private func testCase(_ scenario: String, _ name: String, _ time: Double, body: String) -> String {
        let attributes = ["classname": "podbench.\(scenario)", "name": name, "time": String(format: "%.3f", time)]
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
