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
        var placed = self
        var side = 0
        for podIndex in placed.pods.indices {
            for containerIndex in placed.pods[podIndex].containers.indices {
                var container = placed.pods[podIndex].containers[containerIndex]
                guard ProbeCatalog.spec(role: container.probe)?.isPlaced == true else { continue }
                if !container.args.contains(where: { $0.name == Placement.parameter.spec.name }) {
                    container.args.append((Placement.parameter.spec.name, placement.rawValue))
                }
                if !container.args.contains(where: { $0.name == Placement.side.spec.name }) {
                    container.args.append((Placement.side.spec.name, String(side)))
                }
                side += 1
                placed.pods[podIndex].containers[containerIndex] = container
            }
        }
        return placed
    }
}
