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
        var scaled = rescaled(measurement: { $0 * factor }, waiting: { Self.multiply($0, by: factor) })
        scaled.timeout = Self.multiply(timeout, by: factor)
        return scaled
    }

    /// The scenario measuring `divisor` times fewer rounds, requests and connects (at least one
    /// of each it had), its waits and timeout as they are: a host twin's (`run --calibrate`),
    /// two of which stand beside one measurement.
    public func shortened(by divisor: Int) -> Scenario {
        guard divisor > 1 else { return self }
        return rescaled(measurement: { $0 == 0 ? 0 : max(1, $0 / divisor) }, waiting: { $0 })
    }

    /// The scenario with each measurement parameter of its probes made `measurement` of it and
    /// each waiting one `waiting` of it, within each parameter's range.
    private func rescaled(measurement: (Int) -> Int, waiting: (UInt64) -> UInt64) -> Scenario {
        changingContainers { container in
            guard let spec = ProbeCatalog.spec(role: container.probe) else { return }
            var args = container.args
            for parameter in spec.parameters {
                let given = container.value(of: parameter)
                let value: String
                switch (parameter.kind, parameter.scaling) {
                case (.integer(let range), .measurement):
                    let current = given.flatMap(ParameterSpec.integer) ?? 0
                    value = String(min(range.upperBound, max(range.lowerBound, measurement(current))))
                case (.duration, .waiting):
                    let current = given.flatMap(DurationText.nanoseconds) ?? 0
                    value = "\(min(ParameterSpec.longestDuration, waiting(current)))ns"
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
        }
    }
}
