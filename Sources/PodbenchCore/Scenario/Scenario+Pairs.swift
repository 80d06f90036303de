import PodbenchProbeInterface

/// The pairs of a scenario: a server and a client of one family that meet on a channel
/// (`Pairing`), in one pod, or in the peer pod a client reaches at its address.
extension Scenario {
    /// One container of a pair, with its pod.
    public struct PairEnd: Sendable {
        public var pod: String
        public var container: ContainerSpec
        public var qualifiedName: String { "\(pod)/\(container.name)" }
    }

    /// Every server and client that meet, each pair once; `acrossPods`, instead, the servers and
    /// clients of different pods that would meet if the pods shared the channel (what an
    /// isolation check would reach).
    static func pairs(of pods: [PodSpec], acrossPods: Bool = false) -> [(server: PairEnd, client: PairEnd)] {
        let ends = pods.flatMap { pod in pod.containers.map { PairEnd(pod: pod.name, container: $0) } }
        func pairing(_ end: PairEnd) -> Pairing? { ProbeCatalog.spec(role: end.container.probe)?.pairing }
        let servers = ends.filter { pairing($0)?.side == .server }
        return ends.flatMap { client -> [(server: PairEnd, client: PairEnd)] in
            guard let mine = pairing(client), mine.side == .client else { return [] }
            let pod = client.container.peer ?? client.pod
            return servers.filter { server in
                guard let theirs = pairing(server), theirs.family == mine.family, acrossPods ? server.pod != client.pod : server.pod == pod else { return false }
                return mine.meetsOn.allSatisfy { client.container.value(of: $0) == server.container.value(of: $0) }
            }.map { (server: $0, client: client) }
        }
    }

    /// Each container's other ends, by qualified name: the containers it meets on a channel (its
    /// servers, or its clients); `acrossPods`, those of other pods it would meet were the pods
    /// to share the channel (what its isolation check would reach).
    public func otherEnds(acrossPods: Bool = false) -> [String: [String]] {
        var ends: [String: [String]] = [:]
        for pair in Self.pairs(of: pods, acrossPods: acrossPods) {
            ends[pair.client.qualifiedName, default: []].append(pair.server.qualifiedName)
            ends[pair.server.qualifiedName, default: []].append(pair.client.qualifiedName)
        }
        return ends
    }

    /// The parameters a pair must agree on but was given differently: each with the client's
    /// and the server's value (as written, else the default).
    static func disagreements(of pods: [PodSpec]) -> [(server: PairEnd, client: PairEnd, parameter: String, clientValue: String, serverValue: String)] {
        pairs(of: pods).flatMap { pair in
            (ProbeCatalog.spec(role: pair.client.container.probe)?.pairing?.agreesOn ?? []).compactMap { parameter in
                let serverSpec = ProbeCatalog.spec(role: pair.server.container.probe)?.parameter(named: parameter.name)
                guard let serverSpec, let mine = pair.client.container.value(of: parameter), let theirs = pair.server.container.value(of: serverSpec) else { return nil }
                // 64 and 0x40 are one size.
                let same = ParameterSpec.integer(mine).map { $0 == ParameterSpec.integer(theirs) } ?? (mine == theirs)
                return same ? nil : (pair.server, pair.client, parameter.name, mine, theirs)
            }
        }
    }
}
