import ArgumentParser
import Foundation

/// How scenarios run on a Kubernetes cluster.
struct ClusterOptions: ParsableArguments {
    @OptionGroup var connection: KubectlOptions

    @Flag(name: .long, help: "Create the namespace when it is missing.")
    var createNamespace = false

    @Option(name: .long, help: ArgumentHelp("The RuntimeClass pods run under; a comma list runs every scenario under each, a run each (runc,gvisor).", valueName: "names"))
    var runtimeClass: String?

    @Flag(name: .long, help: "Leave the pods for debugging, and say how to remove them.")
    var keep = false

    /// The flags given.
    var given: [String] {
        connection.given + flagsGiven(["--create-namespace": createNamespace, "--runtime-class": runtimeClass != nil, "--keep": keep])
    }

    /// The RuntimeClasses listed, or one run under the cluster's default.
    var runtimeClasses: [String?] {
        runtimeClass.map { commaList($0).map(Optional.some) } ?? [nil]
    }

    func validate() throws {
        for name in runtimeClasses.compactMap({ $0 }) { try validateRuntimeClass(name) }
    }
}

/// The names of a comma list (`runc,crun`), blanks dropped.
func commaList(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Throws the usage error of `--runtime-class` unless `name` is a Kubernetes object name (DNS
/// subdomain): at most 253 lowercase letters, digits, '-' and '.', starting and ending with a
/// letter or digit.
func validateRuntimeClass(_ name: String) throws {
    let edge: (Character) -> Bool = { $0.isASCII && ($0.isLowercase || $0.isNumber) }
    guard (1...253).contains(name.count), name.allSatisfy({ edge($0) || $0 == "-" || $0 == "." }), edge(name.first!), edge(name.last!) else {
        throw ValidationError("--runtime-class '\(name)' is not a RuntimeClass name: lowercase letters, digits, '-' and '.'.")
    }
}
