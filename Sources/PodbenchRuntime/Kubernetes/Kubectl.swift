import Foundation
import PodbenchCore
import PodbenchSystem

/// `kubectl`, with the conventions its users already have: KUBECONFIG from the environment,
/// an optional `--context`, and a namespace. Always an argument array, never a shell line.
public struct Kubectl: Sendable {
    public var executable: String
    public var context: String?
    public var namespace: String

    public init(executable: String = "kubectl", context: String? = nil, namespace: String = "podbench") {
        self.executable = executable
        self.context = context
        self.namespace = namespace
    }

    /// Runs `kubectl [--context C] --namespace N ARGUMENTS` to its end.
    public func run(_ arguments: [String], input: String? = nil) async throws -> CommandResult {
        try await CommandResult.run(executable, prefix + arguments, input: input)
    }

    /// Runs it and throws a `RuntimeError` carrying kubectl's own words when it fails.
    @discardableResult
    public func check(_ arguments: [String], _ what: String, input: String? = nil) async throws(RuntimeError) -> CommandResult {
        try await CommandResult.check(executable, prefix + arguments, what, input: input)
    }

    /// The command line a person types to run `kubectl ARGUMENTS` as podbench does (for
    /// messages such as the `--keep` hint: the context and namespace included).
    public func commandLine(_ arguments: [String]) -> String {
        (["kubectl"] + prefix + arguments).map(CommandResult.quoted).joined(separator: " ")
    }

    private var prefix: [String] {
        (context.map { ["--context", $0] } ?? []) + ["--namespace", namespace]
    }
}
