import ArgumentParser
import PodbenchCore
import PodbenchProbeInterface
import PodbenchRuntime
import PodbenchSystem

/// The library's enumerations, taken as option values by their raw values.
extension ManifestOptions.Engine: ExpressibleByArgument {}
extension RuntimeKind: ExpressibleByArgument {}
extension ManifestOptions.PodSecurity: ExpressibleByArgument {}
extension CPUIdle: ExpressibleByArgument {}

/// A number option written as scenarios write numbers (`NumberText`): plain decimals, so that
/// `0x10`, `1e2`, `+5`, `inf` and `nan`, which Double would take, are usage errors.
struct PlainDecimal: ExpressibleByArgument, Sendable {
    let value: Double

    init?(argument: String) {
        guard let value = NumberText.decimal(Substring(argument)) else { return nil }
        self.value = value
    }
}
