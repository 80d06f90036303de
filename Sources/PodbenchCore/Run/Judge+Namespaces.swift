import PodbenchProbeInterface

/// Namespace identity as evidence: the device and inode of each container's namespaces,
/// compared across the containers of a pod, across pods and with the host's.
extension Judge {
    /// The namespace kinds judged, each as the check `namespace.KIND` (MUST unless the
    /// scenario names another level).
    static let judgedNamespaces: [NamespaceIdentity.Kind] = [.net, .ipc, .uts, .pid, .mnt]

    /// The checks podbench judges from the identities, whatever the probes.
    public static var namespaceCheckNames: [String] { judgedNamespaces.map { "namespace.\($0.rawValue)" } }

    static func namespaceChecks(_ scenario: Scenario, _ reports: [Report], host: NamespaceIdentity?) -> [CheckResult] {
        zip(judgedNamespaces, namespaceCheckNames).map { kind, name in
            let (outcome, message) = judgeNamespace(kind, scenario, reports, host: host)
            return CheckResult(name: name, level: scenario.level(of: name), outcome: outcome, message: message, source: nil)
        }
    }

    /// Whether a pod's containers must share the namespace: net, ipc and uts always; pid with
    /// shareProcessNamespace. The others each container has its own of. Pods never share one.
    static func isShared(_ kind: NamespaceIdentity.Kind, in pod: PodSpec) -> Bool {
        switch kind {
        case .net, .ipc, .uts: true
        case .pid: pod.shareProcessNamespace
        default: false
        }
    }

    private static func judgeNamespace(_ kind: NamespaceIdentity.Kind, _ scenario: Scenario, _ reports: [Report], host: NamespaceIdentity?) -> (CheckResult.Outcome, String) {
        var problems: [String] = []
        var notJudged: [String] = []
        var seen: [String] = []
        var comparedWithHost = false
        /// The containers whose identity can be judged, with their pod.
        var judged: [(pod: PodSpec, report: Report, id: String, kernel: String)] = []
        for pod in scenario.pods {
            let members = reports.filter { $0.outcome.pod == pod.name }
            guard !members.isEmpty else { continue }
            if let missing = members.first(where: { $0.identity?[kind] == nil }) {
                notJudged.append(unidentified(missing, kind))
                continue
            }
            let kernels = Set(members.map { $0.identity?.kernel ?? "" })
            if kernels.count > 1 {
                notJudged.append("\(pod.name)'s containers run on different kernels (a sandbox each?): their namespace identities cannot be compared")
                continue
            }
            let kernel = kernels.first ?? ""
            let identified = members.map { (pod: pod, report: $0, id: $0.identity![kind]!, kernel: kernel) }
            judged += identified
            let pairs = identified.indices.flatMap { i in identified.indices.filter { $0 > i }.map { (identified[i], identified[$0]) } }
            if isShared(kind, in: pod) {
                // Different identities mean different namespaces whenever they were taken (one
                // namespace keeps its number while the pod holds it); equal ones mean one
                // namespace only if both were alive at once.
                let apart = pairs.filter { $0.0.id != $0.1.id }
                for (a, b) in apart {
                    problems.append("\(a.report.outcome.qualifiedName) and \(b.report.outcome.qualifiedName) are in different \(kind.rawValue) namespaces (\(a.id), \(b.id)): the pod's \(kind.rawValue) namespace is not shared")
                }
                if apart.isEmpty {
                    if !pairs.isEmpty && !pairs.contains(where: { $0.0.report.ranAlongside($0.1.report) }) {
                        notJudged.append("\(pod.name)'s containers never ran at once, so one identity proves nothing (a dead namespace's number is reused)")
                    } else {
                        seen.append("\(pod.name)'s \(members.count) container\(members.count == 1 ? "" : "s") share \(identified[0].id)")
                    }
                }
            } else {
                // A namespace of each container's own: two that ran at once in one are not.
                let together = pairs.filter { $0.0.id == $0.1.id && $0.0.report.ranAlongside($0.1.report) }
                for (a, b) in together {
                    problems.append("\(a.report.outcome.qualifiedName) and \(b.report.outcome.qualifiedName) are in one \(kind.rawValue) namespace (\(a.id))"
                        + (kind == .pid ? " although the pod does not ask for shareProcessNamespace" : ": each container should have its own"))
                }
                if together.isEmpty {
                    let apart = pairs.isEmpty ? "" : pairs.contains { $0.0.report.ranAlongside($0.1.report) } ? ", no two alike" : " (they never ran at once, so they were not compared)"
                    seen.append("\(pod.name)'s \(members.count) container\(members.count == 1 ? "" : "s") each in a \(kind.rawValue) namespace of \(members.count == 1 ? "its" : "their") own" + apart)
                }
            }
            if let host, let hostID = host[kind], host.kernel == kernel {
                comparedWithHost = true
                for member in identified where member.id == hostID {
                    problems.append("\(member.report.outcome.qualifiedName) is in the host's \(kind.rawValue) namespace (\(hostID))")
                }
            }
        }
        // Pods never share one: containers of two pods that ran at once on one kernel.
        var sharedAcross: Set<String> = []
        for (i, a) in judged.enumerated() {
            for b in judged[(i + 1)...] where a.pod.name != b.pod.name && a.kernel == b.kernel && a.id == b.id
                && isShared(kind, in: a.pod) && a.report.ranAlongside(b.report) {
                sharedAcross.insert("pods \(a.pod.name) and \(b.pod.name) share one \(kind.rawValue) namespace (\(a.id))")
            }
        }
        problems += sharedAcross.sorted()
        if !problems.isEmpty {
            return (.fail, (problems + notJudged).joined(separator: "; "))
        }
        if seen.isEmpty {
            return (.skip, notJudged.isEmpty ? "no container reported its namespaces" : notJudged.joined(separator: "; ") + "; the channels' own checks decide")
        }
        var message = seen.joined(separator: "; ")
        if scenario.pods.count > 1 && isShared(kind, in: scenario.pods[0]) { message += "; no two pods share one" }
        if comparedWithHost {
            message += "; none is the host's"
        } else if host != nil {
            message += "; not compared with the host's (the pods run on a kernel of their own)"
        }
        if !notJudged.isEmpty { message += "; not judged: " + notJudged.joined(separator: "; ") }
        return (.pass, message)
    }

    /// Why a container's `kind` namespace has no identity, with the kernel it ran on (gVisor's
    /// calls itself 4.4.0 and has no namespace inodes).
    private static func unidentified(_ report: Report, _ kind: NamespaceIdentity.Kind) -> String {
        guard let identity = report.identity else { return "\(report.outcome.qualifiedName) reported no namespace identity" }
        let why = identity.whyUnidentified(kind) ?? "no \(kind.rawValue) namespace identity"
        return "\(report.outcome.qualifiedName) has no \(kind.rawValue) namespace identity: \(why)" + (identity.release.map { " on kernel \($0)" } ?? "")
    }

    /// One-way metrics compare CLOCK_MONOTONIC stamps of two containers: where the pod's
    /// containers do not all read one clock (one kernel, one time namespace), they are
    /// invalid and kept without numbers.
    static func checkClocks(_ metrics: [MetricResult], _ reports: [Report]) -> [MetricResult] {
        var clockOf: [String: String] = [:]  // pod → why its clocks differ
        for pod in Set(reports.map(\.outcome.pod)) {
            let identities = reports.filter { $0.outcome.pod == pod }.map(\.identity)
            guard identities.allSatisfy({ $0?.kernel != nil }) else { continue }  // unknown is no evidence
            let clocks = Set(identities.map { "\($0?.kernel ?? "")/\($0?[.time] ?? "no time namespace")" })
            if clocks.count > 1 {
                clockOf[pod] = "one-way times compare clocks of containers that do not share one kernel and time namespace (\(clocks.sorted().joined(separator: ", "))): not valid"
            }
        }
        return metrics.map { metric in
            guard ProbeCatalog.oneWayMetrics.contains(MetricName(metric.name)), metric.invalid == nil,
                  let pod = metric.source?.split(separator: "/").first, let reason = clockOf[String(pod)] else { return metric }
            return metric.invalidated(reason)
        }
    }
}
