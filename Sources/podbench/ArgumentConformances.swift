import ArgumentParser
import PodbenchKit

/// The library's enumerations, taken as option values by their raw values.
extension ManifestEngine: ExpressibleByArgument {}
extension RuntimeKind: ExpressibleByArgument {}
extension PodSecurity: ExpressibleByArgument {}
extension CPUIdle: ExpressibleByArgument {}
extension CleanupTask.Scope: ExpressibleByArgument {}

/// A number option written as scenarios write numbers (`FlagValues.decimal`): plain decimals,
/// so that `0x10`, `1e2`, `+5`, `inf` and `nan`, which Double would take, are usage errors.
struct PlainDecimal: ExpressibleByArgument, Sendable {
    let value: Double

    init?(argument: String) {
        guard let value = FlagValues.decimal(argument) else { return nil }
        self.value = value
    }
}
