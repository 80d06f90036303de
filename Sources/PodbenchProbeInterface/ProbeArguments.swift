/// A probe's parameters, parsed from `--name value` pairs and checked against its spec.
public struct ProbeArguments: Sendable {
    public let spec: ProbeSpec
    private let values: [String: String]

    /// Parses `--name value` pairs; every parameter of the spec gets its value or its default.
    public init(spec: ProbeSpec, commandLine: [String]) throws(ProbeError) {
        self.spec = spec
        var values: [String: String] = [:]
        var index = commandLine.startIndex
        while index < commandLine.endIndex {
            let word = commandLine[index]
            guard word.hasPrefix("--"), word.count > 2 else {
                throw ProbeError.usage("\(spec.role): unexpected argument '\(word)'; expected --NAME VALUE")
            }
            let name = String(word.dropFirst(2))
            guard let parameter = spec.parameter(named: name) else {
                let known = spec.parameters.map { "--\($0.name)" }.joined(separator: ", ")
                throw ProbeError.usage("\(spec.role): unknown parameter '--\(name)'; known: \(known)")
            }
            index += 1
            guard index < commandLine.endIndex else {
                throw ProbeError.usage("\(spec.role): --\(name) needs a value: \(parameter.expectation)")
            }
            let value = commandLine[index]
            if let problem = parameter.problem(with: value) {
                throw ProbeError.usage("\(spec.role): --\(name): \(problem); expected \(parameter.expectation)")
            }
            values[name] = value
            index += 1
        }
        for parameter in spec.parameters where values[parameter.name] == nil {
            if parameter.isRequired {
                throw ProbeError.usage("\(spec.role): --\(parameter.name) is required: \(parameter.expectation)")
            }
            values[parameter.name] = parameter.defaultValue
        }
        self.values = values
    }

    /// The parameter's value: the one given, its default, or (for an optional one) nil.
    public subscript<Value: Sendable>(_ parameter: Parameter<Value>) -> Value {
        guard let value = parameter.value(values[parameter.spec.name]) else {
            // Only a role that reads a required parameter its spec does not list, or whose
            // default is not valid, gets here: ProbeCatalogTests starts every role to prove none does.
            preconditionFailure("\(spec.role) reads --\(parameter.spec.name), which its spec does not declare")
        }
        return value
    }
}

/// Why a probe could not run as asked.
public enum ProbeError: Error, CustomStringConvertible {
    /// Bad arguments: the probe exits with status 2.
    case usage(String)
    /// A system call failed before any check could be judged.
    case system(String, errno: Int32)
    /// As `system`, already told with its call and errno (and the limit that refused it).
    case failed(String)
    /// A failure the probe has already reported as its error record.
    case reported

    public var description: String {
        switch self {
        case .usage(let message), .failed(let message): message
        case .reported: "already reported"
        case .system(let what, let code): "\(what): \(errnoText(code))"
        }
    }
}

/// An errno value as the system says it, with its name: `Function not implemented (ENOSYS)`.
public func errnoText(_ code: Int32) -> String {
    let text = String(cString: strerror(code))
    guard let name = podbench_errno_name(code) else { return text }
    return "\(text) (\(String(cString: name)))"
}

import CPodbench
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
