import ArgumentParser
import PodbenchCore
import PodbenchRuntime

/// The library's enumerations, taken as option values by their raw values.
extension ManifestOptions.Engine: ExpressibleByArgument {}
extension RuntimeKind: ExpressibleByArgument {}
extension ManifestOptions.PodSecurity: ExpressibleByArgument {}
extension CPUIdle: ExpressibleByArgument {}
