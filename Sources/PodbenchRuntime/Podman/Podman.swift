import Foundation
import PodbenchCore
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The `podman` command, run with an argument array (never a shell line) and podbench's own
/// containers.conf: runc, and no default ulimits (which an unprivileged VM cannot set).
/// The user's configuration files are never touched: CONTAINERS_CONF points at podbench's.
public struct Podman: Sendable {
    public var executable: String
    /// A containers.conf podbench writes; nil to use the user's configuration.
    public var configuration: String?

    public init(executable: String = "podman", configuration: String? = nil) {
        self.executable = executable
        self.configuration = configuration
    }

    /// What podbench's containers.conf holds. `runtime` is the OCI runtime (`runc`, `crun`).
    public static func configurationText(ociRuntime: String) -> String {
        """
        # Written by podbench for its own podman calls (CONTAINERS_CONF); not the user's file.
        [containers]
        default_ulimits = []

        [engine]
        runtime = "\(ociRuntime)"

        """
    }

    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var error: String

        public var succeeded: Bool { status == 0 }
    }

    /// Runs `podman ARGUMENTS` to its end.
    public func run(_ arguments: [String]) async throws -> Result {
        var environment = Environment.inherit
        if let configuration { environment = environment.updating(["CONTAINERS_CONF": configuration]) }
        let executable: Executable = executable.hasPrefix("/") ? .path(FilePath(executable)) : .name(executable)
        let result = try await Subprocess.run(
            executable, arguments: Arguments(arguments), environment: environment,
            output: .string(limit: 64 << 20), error: .string(limit: 16 << 20))
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return Result(status: status, output: result.standardOutput ?? "", error: result.standardError ?? "")
    }

    /// Runs it and throws a `RuntimeError` carrying podman's own words when it fails.
    @discardableResult
    public func check(_ arguments: [String], _ what: String) async throws(RuntimeError) -> Result {
        let result: Result
        do {
            result = try await run(arguments)
        } catch {
            throw RuntimeError("cannot run podman to \(what)", cause: "\(error); is podman installed (apt-get install podman runc)?")
        }
        guard result.succeeded else {
            let words = result.error.split(separator: "\n").last.map(String.init) ?? "exit status \(result.status)"
            throw RuntimeError("podman could not \(what)", cause: words)
        }
        return result
    }
}
