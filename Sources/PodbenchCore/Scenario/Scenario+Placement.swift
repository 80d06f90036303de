import PodbenchProbeInterface

extension Scenario {
    /// Whether something is measured between its containers: a container of a role that takes
    /// part in a measurement and expects its peer to be reachable. A scenario that only waits
    /// (isolation, hostnames, processes, locks) may wait beside another.
    public var measures: Bool { !measuringRoles.isEmpty }

    /// Whether it measures a latency between its containers (in ns, not a throughput), which
    /// a host twin can calibrate (`run --calibrate`).
    public var measuresLatency: Bool { measuringRoles.contains { !$0.metrics.isEmpty } }

    /// The roles of its containers that take part in a measurement and expect their peer to be
    /// reachable, in order.
    private var measuringRoles: [ProbeSpec] {
        pods.flatMap(\.containers).compactMap { container in
            guard !container.expectsIsolation, let spec = ProbeCatalog.spec(role: container.probe), spec.isPlaced else { return nil }
            return spec
        }
    }

    /// The scenario with its measuring containers (the roles that take part in a measurement
    /// between containers) at `placement`, numbered in order as sides; a container whose
    /// scenario gives `cpu` itself keeps it.
    public func placed(_ placement: Placement) -> Scenario {
        var side = 0
        return changingContainers { container in
            guard ProbeCatalog.spec(role: container.probe)?.isPlaced == true else { return }
            if !container.args.contains(where: { $0.name == Placement.parameter.spec.name }) {
                container.args.append((Placement.parameter.spec.name, placement.rawValue))
            }
            if !container.args.contains(where: { $0.name == Placement.side.spec.name }) {
                container.args.append((Placement.side.spec.name, String(side)))
            }
            side += 1
        }
    }
}

extension Scenario {
    /// Whether its measurements can take turns with another's (`Turns`): each of its measuring
    /// containers times its exchanges in turns, or only answers a role that does (an echo
    /// server, a queue's consumer), so that while the other measures it is idle.
    public var takesTurns: Bool {
        let measuring = measuringRoles
        let takers = measuring.filter(\.takesTurns)
        return !takers.isEmpty && measuring.allSatisfy { spec in
            spec.takesTurns || takers.contains { $0.pairing != nil && $0.pairing?.family == spec.pairing?.family }
        }
    }

    /// The rotation (ns) its turns take beside another measurement's, given the one of closed
    /// loops (`closedLoop`): where every container that takes turns is an open loop at one rate
    /// whose interval halves into turns no shorter than `Turns.shortest`, that interval, so that
    /// each request falls due at the start of its client's turn and neither measurement waits
    /// through the other's turns (5,000/s: 100 us each of every 200); else `closedLoop`.
    public func turnRotation(closedLoop: UInt64) -> UInt64 {
        let takers = pods.flatMap(\.containers).filter { ProbeCatalog.spec(role: $0.probe)?.takesTurns == true }
        let rates = Set(takers.map { $0.value(of: OpenLoop.rate.spec) })
        guard rates.count == 1, let text = rates.first ?? nil, let rate = ParameterSpec.rate(text) else { return closedLoop }
        let interval = 1_000_000_000 / UInt64(rate)
        return interval / 2 >= Turns.shortest && interval <= Turns.longest ? interval : closedLoop
    }

    /// The scenario with each container that times its exchanges in turns given `turns`.
    public func taking(_ turns: Turns) -> Scenario {
        changingContainers { container in
            guard ProbeCatalog.spec(role: container.probe)?.takesTurns == true else { return }
            container.args.removeAll { $0.name == Turns.parameter.spec.name }
            container.args.append((Turns.parameter.spec.name, turns.description))
        }
    }
}
