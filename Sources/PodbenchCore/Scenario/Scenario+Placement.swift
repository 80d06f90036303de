import PodbenchProbeInterface

extension Scenario {
    /// Whether something is measured between its containers: a container of a role that takes
    /// part in a measurement and expects its peer to be reachable. A scenario that only waits
    /// (isolation, hostnames, processes, locks) may wait beside another.
    public var measures: Bool {
        pods.flatMap(\.containers).contains { container in
            ProbeCatalog.spec(role: container.probe)?.isPlaced == true
                && !container.expectsIsolation
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
        let measuring = pods.flatMap(\.containers).compactMap { container -> ProbeSpec? in
            guard !container.expectsIsolation, let spec = ProbeCatalog.spec(role: container.probe), spec.isPlaced else { return nil }
            return spec
        }
        let takers = measuring.filter(\.takesTurns)
        return !takers.isEmpty && measuring.allSatisfy { spec in
            spec.takesTurns || takers.contains { $0.pairing != nil && $0.pairing?.family == spec.pairing?.family }
        }
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
