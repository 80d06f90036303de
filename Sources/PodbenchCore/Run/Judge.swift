import PodbenchProbeInterface

import Foundation

/// Turns what the containers of a scenario printed into checks, metrics and a verdict.
public enum Judge {
    /// What one container printed, its records parsed once.
    struct Report {
        var outcome: ContainerOutcome
        var records: [ProbeRecord]
        /// Its scenario expects it not to reach its peers in other pods (`expect: isolated`).
        var expectsIsolation = false
        /// The checks its role reports with its arguments (nil for a role podbench does not know).
        var reports: Set<String>?
        /// The containers it meets on its channel (`Scenario.otherEnds`).
        var partners: Set<String> = []
        /// The containers of other pods its isolation checks would reach.
        var counterparts: Set<String> = []

        /// Exited 0, or 1 for a failed check, without an error record.
        var endedCleanly: Bool {
            (outcome.ending == .exited(0) || outcome.ending == .exited(1)) && !records.contains { $0.podbench == .error }
        }

        /// Its probe said it finished, with no failed check and no error: it exited 0.
        var finishedPassing: Bool {
            records.last?.podbench == .finished && !records.contains { $0.podbench == .error || ($0.podbench == .check && $0.ok == false) }
        }

        var identity: NamespaceIdentity? {
            records.first { $0.podbench == .started }?.identity
        }

        /// From the probe's start to its end (CLOCK_REALTIME): its namespaces were alive all
        /// along. The end is when it said it finished, else (killed before it could say so)
        /// when the runtime saw it end.
        var lifetime: ClosedRange<UInt64>? {
            guard let start = records.first(where: { $0.podbench == .started })?.at,
                  let end = records.last(where: { $0.podbench == .finished })?.at ?? outcome.endedAt, end >= start else { return nil }
            return start...end
        }

        /// Whether its probe ran past the scenario's timeout: its deadline passed (exit 124), or
        /// the runtime stopped it.
        var ranPastTimeout: Bool {
            outcome.ending == .exited(124) || outcome.ending == .timedOut
        }

        /// Whether both were alive at once: only then do equal namespace identities mean one
        /// namespace (the kernel reuses a dead namespace's inode number).
        func ranAlongside(_ other: Report) -> Bool {
            guard let mine = lifetime, let theirs = other.lifetime else { return false }
            return mine.overlaps(theirs)
        }
    }

    /// Judges a scenario from its containers' outcomes. `host` is the namespace identity of the
    /// machine the pods ran on, when podbench runs there: pods must not share its namespaces.
    /// Without `pods` (the host runtime's plain processes) no namespace is judged.
    public static func judge(_ scenario: Scenario, outcomes: [ContainerOutcome], host: NamespaceIdentity? = nil, pods: Bool = true, startedAt: Date, duration: Double) -> ScenarioResult {
        let containers = Dictionary(scenario.pods.flatMap { pod in pod.containers.map { ("\(pod.name)/\($0.name)", $0) } }, uniquingKeysWith: { a, _ in a })
        let (partners, counterparts) = (scenario.otherEnds(), scenario.otherEnds(acrossPods: true))
        let reports = outcomes.map { outcome in
            let container = containers[outcome.qualifiedName]
            let checks = container.flatMap { container in ProbeCatalog.spec(role: container.probe)?.checks(given: container.value(of:)) }
            return Report(outcome: outcome, records: records(in: outcome.standardOutput),
                          expectsIsolation: container?.expectsIsolation ?? false, reports: checks.map { Set($0.map(\.text)) },
                          partners: Set(partners[outcome.qualifiedName] ?? []), counterparts: Set(counterparts[outcome.qualifiedName] ?? []))
        }
        // Ran past the timeout, unless a peer crashed first: then the crash is why, and what the
        // others said at their deadline stands.
        let crashed = reports.contains { !$0.ranPastTimeout && !$0.endedCleanly }
        let timeout = reports.contains(where: \.ranPastTimeout) && !crashed ? timedOut(scenario, reports) : nil
        // A container the runtime had to stop had stalled (its probe stops itself at its
        // deadline): a failure beside it may be its doing, a reader whose writer was stopped.
        let stalled = timeout != nil && reports.contains { $0.outcome.ending == .timedOut }
        var metrics = podLatencies(reports)
        // The checks the runner judges took what the pods took to give their evidence.
        let seconds = { (name: String) in metrics.first { $0.name == name }.map { Double($0.max) / 1e9 } }
        var completed = podCompleted(scenario, reports, timedOut: timeout, stalled: stalled)
        completed.duration = seconds(MetricName.podComplete.text)
        var checks: [CheckResult] = [completed]
        let namespaces = (pods ? namespaceChecks(scenario, reports, host: host) : namespaceCheckNames.map {
            CheckResult(name: $0, level: scenario.level(of: $0), outcome: .skip, message: "the host runtime runs processes, not pods: they are in the machine's namespaces", source: nil)
        }).map { check in
            var check = check
            check.duration = seconds(MetricName.podStart.text)
            return check
        }
        checks += namespaces
        for report in reports {
            let started = report.records.first { $0.podbench == .started }?.at
            for record in report.records {
                switch record.podbench {
                case .check:
                    guard let name = record.name, let verdict = Self.outcome(of: record) else { continue }
                    // A container that ran past the timeout was cut short, its failures too (a
                    // peer stopped by its own deadline looks like a channel that broke), and
                    // so was every failure beside a container that stalled.
                    let cutShort = timeout != nil && (record.deadline == true || (verdict == .fail && (report.ranPastTimeout || stalled)))
                    var message = record.message ?? ""
                    if verdict == .fail, pods, let through = record.through { message = reasoned(message, through: through, namespaces: namespaces) }
                    let unwitnessed = verdict == .pass ? unwitnessedIsolation(report, reports, judgedAt: record.at) : nil
                    // A peer that never came because it failed first is why: not the channel.
                    let peerFailed = verdict == .fail && record.awaited == true ? failedPartner(of: report, reports) : nil
                    let notJudged = unwitnessed ?? peerFailed
                    checks.append(CheckResult(
                        name: name, level: scenario.level(of: name), outcome: cutShort || notJudged != nil ? .inconclusive : verdict,
                        message: cutShort ? "\(timeout ?? "") (\(message))" : notJudged.map { "\($0) (\(message))" } ?? message,
                        source: report.outcome.qualifiedName,
                        duration: started.flatMap { start in record.at.flatMap { $0 >= start ? Double($0 - start) / 1e9 : nil } }))
                case .metric:
                    guard let name = record.name else { continue }
                    metrics.append(MetricResult(name: name, unit: record.unit ?? "ns", source: report.outcome.qualifiedName, values: record.values ?? [], invalid: record.invalid))
                case .error, .started, .finished:
                    break // Errors show through pod.completed and missing checks.
                }
            }
        }
        checks += missingChecks(scenario, reports, reported: checks, timedOut: timeout)
        metrics = checkClocks(metrics, reports)
        metrics = place(metrics, reports)
        return ScenarioResult(scenario: scenario.name, status: .pass, startedAt: startedAt, duration: duration, checks: checks, metrics: metrics).verdict(timedOut: timeout)
    }

    /// Each metric between containers with where its ends ran: the reporting container and its
    /// partner (the other side of its pair), or every measuring container for a metric that
    /// one of them did not report (a capture's).
    static func place(_ metrics: [MetricResult], _ reports: [Report]) -> [MetricResult] {
        let placed = reports.compactMap { report in
            report.records.last { $0.podbench == .finished }?.cpu.map { MetricPlacement.Side(container: report.outcome.qualifiedName, cpu: $0) }
        }
        return metrics.map { metric in
            guard let source = metric.source else { return metric }
            var metric = metric
            if let end = placed.first(where: { $0.container == source }) {
                let pair = placed.filter { $0.cpu.side / 2 == end.cpu.side / 2 }
                metric.placement = MetricPlacement(sides: pair.sorted { $0.cpu.side < $1.cpu.side })
            } else {
                metric.placement = MetricPlacement(sides: placed)
            }
            return metric
        }
    }

    /// Why an isolation that `report` saw proves nothing, if it does not: no container of
    /// another pod that it could reach (its `counterparts`, the server or client it would meet
    /// were the channel shared; else any) was running at any moment of its wait, from its start
    /// to when it judged the check (`judgedAt`; the pods started further apart than its wait),
    /// so nothing of that pod was there to be reached, and the channel is not judged.
    static func unwitnessedIsolation(_ report: Report, _ reports: [Report], judgedAt: UInt64? = nil) -> String? {
        guard report.expectsIsolation, var mine = report.lifetime else { return nil }
        if let judgedAt, judgedAt >= mine.lowerBound, judgedAt < mine.upperBound { mine = mine.lowerBound...judgedAt }
        let counterparts = report.counterparts
        let reachable = reports.filter { $0.outcome.pod != report.outcome.pod && (counterparts.isEmpty || counterparts.contains($0.outcome.qualifiedName)) }
        let others = Dictionary(grouping: reachable, by: \.outcome.pod)
        for (pod, members) in others.sorted(by: { $0.key < $1.key }) {
            let lifetimes = members.compactMap(\.lifetime)
            guard !lifetimes.isEmpty, !lifetimes.contains(where: { $0.overlaps(mine) }) else { continue }
            let when = if let first = lifetimes.map(\.lowerBound).min(), first > mine.upperBound {
                "started \(DurationText.format(nanoseconds: Double(first - mine.upperBound))) after this container's wait ended"
            } else if let last = lifetimes.map(\.upperBound).max(), last < mine.lowerBound {
                "had ended \(DurationText.format(nanoseconds: Double(mine.lowerBound - last))) before this container started"
            } else {
                "ran before and after this container, never while it waited"
            }
            return "not judged: no container of pod \(pod) it could reach ran while this one waited (they \(when)), so nothing of that pod was there to be reached; raise wait"
        }
        return nil
    }

    /// Why a check of `report` that waited for its partner proves nothing, if a partner it
    /// meets on the channel (`Report.partners`) failed on its own: it crashed or said why it
    /// stopped, not at the scenario's deadline.
    static func failedPartner(of report: Report, _ reports: [Report]) -> String? {
        let failed = reports.filter { report.partners.contains($0.outcome.qualifiedName) && !$0.endedCleanly && !$0.ranPastTimeout }
        guard !failed.isEmpty else { return nil }
        return "not judged: the partner it meets on this channel failed first: " + endings(failed)
    }

    /// What a scenario that ran past its timeout says: podbench's own time limit cut it short,
    /// which judges no channel. Containers that had stalled (stopped by a signal) are named:
    /// more time would not have helped them.
    static func timedOut(_ scenario: Scenario, _ reports: [Report] = []) -> String {
        let limit = "timed out after \(DurationText.exact(nanoseconds: scenario.timeout))"
        let stalled = reports.filter { $0.ranPastTimeout && $0.outcome.stall != nil }
        guard !stalled.isEmpty else { return limit + ": raise timeout or lower rounds" }
        return limit + ": " + stalled.map { "\($0.outcome.qualifiedName) was \($0.outcome.stall!) and never ended" }.joined(separator: "; ") + "; podbench killed it at the timeout"
    }

    /// Expected checks a container that reports them (by its role and arguments) did not: each
    /// a failure charged to that container, with how it ended. A container that ended cleanly
    /// without a check others reported had nothing to say of it; a check nobody reported is
    /// charged to every container that should have, with how the others that did not end
    /// cleanly ended. When the scenario timed out (`timedOut` says so), a check its timeout
    /// kept from being reported is not judged.
    static func missingChecks(_ scenario: Scenario, _ reports: [Report], reported checks: [CheckResult], timedOut: String? = nil) -> [CheckResult] {
        func missing(_ expectation: Expectation, _ message: String, source: String?, cutShort: Bool) -> CheckResult {
            guard cutShort, let timedOut else {
                return CheckResult(name: expectation.check, level: expectation.level, passed: false, message: message, source: source)
            }
            return CheckResult(name: expectation.check, level: expectation.level, outcome: .inconclusive, message: "\(timedOut) (\(message))", source: source)
        }
        var found: [CheckResult] = []
        for expectation in scenario.expectations {
            // A container that ended cleanly or at its deadline without a check, beside a
            // partner that failed first on the channel they meet on: the partner is why.
            func partnerFailed(_ report: Report, _ message: String) -> CheckResult? {
                guard report.endedCleanly || report.ranPastTimeout, let partner = failedPartner(of: report, reports) else { return nil }
                return CheckResult(name: expectation.check, level: expectation.level, outcome: .inconclusive, message: "\(partner) (\(message))", source: report.outcome.qualifiedName)
            }
            let sources = Set(checks.filter { $0.name == expectation.check }.map(\.source))
            let reporters = reports.filter { $0.reports?.contains(expectation.check) == true }
            guard !sources.isEmpty else {
                guard !reporters.isEmpty else {
                    found.append(missing(expectation, "not reported: " + endings(reports), source: nil, cutShort: true))
                    continue
                }
                let others = reports.filter { report in !report.endedCleanly && !report.ranPastTimeout && !reporters.contains { $0.outcome.qualifiedName == report.outcome.qualifiedName } }
                let beside = others.isEmpty ? "" : "; beside it, " + endings(others)
                for report in reporters {
                    let message = "not reported by \(report.outcome.qualifiedName), which " + describe(report) + beside
                    found.append(partnerFailed(report, message) ?? missing(expectation, message, source: report.outcome.qualifiedName, cutShort: true))
                }
                continue
            }
            for report in reporters where !report.endedCleanly && !sources.contains(report.outcome.qualifiedName) {
                let message = "not reported by \(report.outcome.qualifiedName), which " + describe(report)
                found.append(partnerFailed(report, message) ?? missing(expectation, message, source: report.outcome.qualifiedName, cutShort: report.ranPastTimeout))
            }
        }
        return found
    }

    /// `pod.start`: from the runtime creating the pods to the last container running (its
    /// probe's `started` record); `pod.complete`: to the last container ending. One sample
    /// each, when the runtime timed the pods.
    static func podLatencies(_ reports: [Report]) -> [MetricResult] {
        guard let created = reports.compactMap(\.outcome.createdAt).min() else { return [] }
        var metrics: [MetricResult] = []
        let started = reports.map { $0.records.first { $0.podbench == .started }?.at }
        if !started.isEmpty, started.allSatisfy({ $0 != nil }), let last = started.compactMap({ $0 }).max(), last > created {
            metrics.append(MetricResult(name: MetricName.podStart.text, unit: "ns", source: nil, values: [[last - created, 1]]))
        }
        if let ended = reports.compactMap(\.outcome.endedAt).max(), ended > created, reports.allSatisfy({ $0.outcome.endedAt != nil }) {
            metrics.append(MetricResult(name: MetricName.podComplete.text, unit: "ns", source: nil, values: [[ended - created, 1]]))
        }
        return metrics
    }

    private static func outcome(of record: ProbeRecord) -> CheckResult.Outcome? {
        if record.skipped == true { return .skip }
        if record.inconclusive == true { return .inconclusive }
        return record.ok.map { $0 ? .pass : .fail }
    }

    /// The probe records among a container's output lines (JSON objects; other lines are its log).
    public static func records(in output: String) -> [ProbeRecord] {
        let decoder = JSONDecoder()
        return output.split(separator: "\n").compactMap { line in
            guard line.first == "{" else { return nil }
            return try? decoder.decode(ProbeRecord.self, from: Data(line.utf8))
        }
    }

    /// restartPolicy Never: the pod completes when every container exits 0. A probe exits 1
    /// when one of its checks failed; where every check it failed is held below MUST, that is
    /// a warning, not a container that failed to complete. Containers that only ran past the
    /// scenario's timeout leave the check unjudged.
    private static func podCompleted(_ scenario: Scenario, _ reports: [Report], timedOut: String?, stalled: Bool) -> CheckResult {
        var failed: [Report] = [], warned: [Report] = []
        for report in reports where report.outcome.ending != .exited(0) {
            let failedChecks = report.records.filter { $0.podbench == .check && $0.ok == false }.compactMap(\.name)
            let onlyWarnings = report.endedCleanly && !failedChecks.isEmpty && failedChecks.allSatisfy { scenario.level(of: $0) != .must }
            if onlyWarnings { warned.append(report) } else { failed.append(report) }
        }
        let message = !failed.isEmpty ? endings(failed)
            : warned.isEmpty ? "all \(reports.count) containers exited 0"
            : "all \(reports.count) containers completed; " + warned.map(\.outcome.qualifiedName).joined(separator: ", ") + " exited 1 for a check held below MUST"
        // Beside a container that stalled, one that exited 1 for a failed check is not judged
        // either (its failures are cut short).
        if let timedOut, !failed.isEmpty, failed.allSatisfy({ $0.ranPastTimeout || (stalled && $0.endedCleanly) }) {
            return CheckResult(name: "pod.completed", level: scenario.level(of: "pod.completed"), outcome: .inconclusive, message: "\(timedOut) (\(message))", source: nil)
        }
        return CheckResult(name: "pod.completed", level: scenario.level(of: "pod.completed"), passed: failed.isEmpty, message: message, source: nil)
    }

    /// How each container ended, with its error record or the end of its standard error.
    static func endings(_ reports: [Report]) -> String {
        reports.map { "\($0.outcome.qualifiedName) " + describe($0) }.joined(separator: "; ")
    }

    /// How one container ended, with its error record or the end of its standard error.
    static func describe(_ report: Report) -> String {
        var text = describe(report.outcome.ending)
        if let stall = report.outcome.stall { text += " (it was \(stall))" }
        if let error = report.records.last(where: { $0.podbench == .error })?.message {
            text += ": \(error)"
        } else if report.finishedPassing, report.outcome.ending != .exited(0) {
            text += " although its probe finished with every check passed: the runtime reported a status the probe did not exit with"
        } else if report.outcome.ending != .exited(0), let last = report.outcome.standardError.split(separator: "\n").last {
            text += ": \(last)"
        }
        return text
    }

    static func describe(_ ending: ContainerOutcome.Ending) -> String {
        switch ending {
        case .exited(let code): "exited \(code)" + (SignalText.asExitStatus(code).map { " " + $0 } ?? "")
        case .signaled(let signal): "was killed by signal \(SignalText.describe(signal))"
        case .timedOut: "was stopped at the scenario's timeout"
        }
    }
}

extension ScenarioResult {
    /// The status its checks give: a failed MUST check fails the scenario; else a scenario that
    /// ran past its timeout (`timedOut` says so) is an error saying that; else a MUST check that
    /// could not be judged leaves it without a verdict (an error, saying which); else it passes.
    func verdict(timedOut: String? = nil) -> ScenarioResult {
        var result = self
        let must = checks.filter { $0.level == .must }
        if must.contains(where: \.failed) {
            result.status = .fail
        } else if let timedOut {
            result.status = .error
            result.error = timedOut
        } else if case let notJudged = must.filter(\.inconclusive), !notJudged.isEmpty {
            result.status = .error
            result.error = "not judged: " + notJudged.map { "\($0.name)" + ($0.source.map { " (\($0))" } ?? "") + ": \($0.message)" }.joined(separator: "; ")
        } else {
            result.status = .pass
        }
        return result
    }
}

extension MetricName {
    /// From the runtime creating the pods to the last container running (`Judge`).
    public static let podStart = MetricName("pod.start")
    /// From the runtime creating the pods to the last container ending (`Judge`).
    public static let podComplete = MetricName("pod.complete")
}
