import PodbenchProbes

/// Namespace identity as evidence: the device and inode of each container's namespaces,
/// compared across the containers of a pod, across pods and with the host's.
extension Judge {
    /// The namespace kinds judged, each as the check `namespace.KIND` (MUST unless the
    /// scenario names another level).
    static let judgedNamespaces: [NamespaceIdentity.Kind] = [.net, .ipc, .uts, .pid, .mnt]

    /// The checks podbench judges from the identities, whatever the probes.
    public static var namespaceCheckNames: [String] { judgedNamespaces.map { "namespace.\($0.rawValue)" } }

    static func namespaceChecks(_ scenario: Scenario, _ reports: [Report], host: NamespaceIdentity?) -> [CheckResult] {
        judgedNamespaces.map { kind in
            let name = "namespace.\(kind.rawValue)"
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
            /// The pods' shared namespaces already met, by kernel and identity, with their pod.
        var holders: [String: String] = [:]
        var comparedWithHost = false
        for pod in scenario.pods {
            let members = reports.filter { $0.outcome.pod == pod.name }
            guard !members.isEmpty else { continue }
            let identities = members.map { ($0.outcome.qualifiedName, $0.identity?[kind], $0.identity?.kernel) }
            if let missing = identities.first(where: { $0.1 == nil }) {
                notJudged.append("\(missing.0) reported no \(kind.rawValue) namespace identity")
                continue
            }
            let kernels = Set(identities.map(\.2))
            if kernels.count > 1 {
                notJudged.append("\(pod.name)'s containers run on different kernels (a sandbox each?): their namespace identities cannot be compared")
                continue
            }
            let kernel = kernels.first.flatMap { $0 } ?? ""
            let units: [(who: String, id: String)]
            if isShared(kind, in: pod) {
                let groups = Dictionary(grouping: identities, by: { $0.1! })
                if groups.count > 1 {
                    problems.append("\(pod.name)'s containers are in \(groups.count) different \(kind.rawValue) namespaces ("
                        + groups.sorted { $0.key < $1.key }.map { "\($0.value.map(\.0).joined(separator: ", ")): \($0.key)" }.joined(separator: "; ") + "): the pod's \(kind.rawValue) namespace is not shared")
                    continue
                }
                units = [(pod.name, identities[0].1!)]
                seen.append("\(pod.name)'s \(members.count) container\(members.count == 1 ? "" : "s") share \(identities[0].1!)")
            } else {
                // A container's own namespace ends with it, and the kernel reuses its inode
                // number: containers that did not run at once may show one identity. Only the
                // host's, which outlives them, is compared.
                units = identities.map { ($0.0, $0.1!) }
                seen.append("\(pod.name)'s \(members.count) container\(members.count == 1 ? "" : "s") each in a \(kind.rawValue) namespace of the pod's own")
            }
            for unit in units {
                if isShared(kind, in: pod), let other = holders[kernel + "/" + unit.id] {
                    problems.append("\(other) and \(unit.who) share one \(kind.rawValue) namespace (\(unit.id))")
                } else {
                    holders[kernel + "/" + unit.id] = unit.who
                }
                if let host, let hostID = host[kind], host.kernel == kernel {
                    comparedWithHost = true
                    if unit.id == hostID { problems.append("\(unit.who) is in the host's \(kind.rawValue) namespace (\(hostID))") }
                }
            }
        }
        if !problems.isEmpty {
            return (.fail, (problems + notJudged).joined(separator: "; "))
        }
        if seen.isEmpty {
            return (.skip, notJudged.isEmpty ? "no container reported its namespaces" : notJudged.joined(separator: "; "))
        }
        var message = seen.joined(separator: "; ")
        if scenario.pods.count > 1 { message += "; no two pods share one" }
        if comparedWithHost {
            message += "; none is the host's"
        } else if host != nil {
            message += "; not compared with the host's (the pods run on a kernel of their own)"
        }
        if !notJudged.isEmpty { message += "; not judged: " + notJudged.joined(separator: "; ") }
        return (.pass, message)
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
            guard ProbeCatalog.oneWayMetrics.contains(metric.name), metric.invalid == nil,
                  let pod = metric.source?.split(separator: "/").first, let reason = clockOf[String(pod)] else { return metric }
            return metric.invalidated(reason)
        }
    }
}
