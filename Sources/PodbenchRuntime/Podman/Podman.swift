import Foundation
import PodbenchCore

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

    /// podman with podbench's containers.conf (`ociRuntime`: runc, crun), written into
    /// `directory`, a directory of the caller's that outlives the podman calls.
    public static func configured(in directory: String, ociRuntime: String = "runc", executable: String = "podman") throws -> Podman {
        let path = (directory as NSString).appendingPathComponent("containers.conf")
        try """
            # Written by podbench for its own podman calls (CONTAINERS_CONF); not the user's file.
            [containers]
            default_ulimits = []

            [engine]
            runtime = "\(ociRuntime)"

            """.write(toFile: path, atomically: true, encoding: .utf8)
        return Podman(executable: executable, configuration: path)
    }

    /// Runs `podman ARGUMENTS` to its end.
    public func run(_ arguments: [String]) async throws -> CommandResult {
        try await CommandResult.run(executable, arguments, environment: configuration.map { ["CONTAINERS_CONF": $0] } ?? [:])
    }

    /// Runs it and throws a `RuntimeError` carrying podman's own words when it fails.
    @discardableResult
    public func check(_ arguments: [String], _ what: String) async throws(RuntimeError) -> CommandResult {
        try await CommandResult.check(executable, arguments, what, environment: configuration.map { ["CONTAINERS_CONF": $0] } ?? [:])
    }
}
