import PodbenchProbes

extension Scenario {
    /// The parameters that set how long a probe measures (not what it checks).
    static let measurementParameters: Set<String> = ["rounds", "connects"]

    /// The scenario with every probe's timed rounds and connects, and the timeout, multiplied
    /// by `factor` (within each parameter's range): longer measurement for nightly runs.
    public func scaled(by factor: Int) -> Scenario {
        guard factor > 1 else { return self }
        var scaled = self
        scaled.timeout = timeout.multipliedReportingOverflow(by: UInt64(factor)).partialValue
        for podIndex in scaled.pods.indices {
            for containerIndex in scaled.pods[podIndex].containers.indices {
                var container = scaled.pods[podIndex].containers[containerIndex]
                guard let spec = ProbeCatalog.probe(role: container.probe)?.spec else { continue }
                var args = container.args
                for parameter in spec.parameters where Self.measurementParameters.contains(parameter.name) {
                    guard case .integer(let range) = parameter.kind else { continue }
                    let current = args.first { $0.name == parameter.name }.flatMap { ParameterSpec.integer($0.value) }
                        ?? parameter.defaultValue.flatMap(ParameterSpec.integer) ?? 0
                    let value = String(min(range.upperBound, current * factor))
                    if let index = args.firstIndex(where: { $0.name == parameter.name }) {
                        args[index].value = value
                    } else {
                        args.append((parameter.name, value))
                    }
                }
                container.args = args
                scaled.pods[podIndex].containers[containerIndex] = container
            }
        }
        return scaled
    }
}
