import PodbenchProbeInterface

extension Scenario {
    /// `value × factor`, UInt64.max where that overflows (never a wrapped, tiny product).
    static func multiply(_ value: UInt64, by factor: Int) -> UInt64 {
        let product = value.multipliedReportingOverflow(by: UInt64(max(factor, 0)))
        return product.overflow ? .max : product.partialValue
    }

    /// The scenario with the parameters its probes scale (what they measure, how long they wait
    /// for a peer, as each parameter declares) and the timeout multiplied by `factor` (within
    /// each parameter's range): longer measurement for nightly runs.
    public func scaled(by factor: Int) -> Scenario {
        guard factor > 1 else { return self }
        var scaled = self
        scaled.timeout = Self.multiply(timeout, by: factor)
        for podIndex in scaled.pods.indices {
            for containerIndex in scaled.pods[podIndex].containers.indices {
                var container = scaled.pods[podIndex].containers[containerIndex]
                guard let spec = ProbeCatalog.spec(role: container.probe) else { continue }
                var args = container.args
                for parameter in spec.parameters {
                    let given = container.value(of: parameter)
                    let value: String
                    switch (parameter.kind, parameter.scaling) {
                    case (.integer(let range), .measurement):
                        let current = given.flatMap(ParameterSpec.integer) ?? 0
                        value = String(min(range.upperBound, current * factor))
                    case (.duration, .waiting):
                        let current = given.flatMap(DurationText.nanoseconds) ?? 0
                        value = "\(min(ParameterSpec.longestDuration, Self.multiply(current, by: factor)))ns"
                    default:
                        continue
                    }
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
