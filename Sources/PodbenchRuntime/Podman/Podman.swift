import Foundation
import PodbenchCore
import PodbenchSystem

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

    /// podman with podbench's containers.conf (`ociRuntime`: runc, crun, or an executable's
    /// absolute path, registered under its file name), written into `directory`, a directory
    /// of the caller's that outlives the podman calls.
    public static func configured(in directory: String, ociRuntime: String = "runc", executable: String = "podman") throws -> Podman {
        let path = (directory as NSString).appendingPathComponent("containers.conf")
        var text = """
            # Written by podbench for its own podman calls (CONTAINERS_CONF); not the user's file.
            [containers]
            default_ulimits = []

            [engine]

            """
        if ociRuntime.hasPrefix("/") {
            let name = (ociRuntime as NSString).lastPathComponent
            text += "runtime = \(tomlString(name))\n\n[engine.runtimes]\n\(tomlString(name)) = [\(tomlString(ociRuntime))]\n"
        } else {
            text += "runtime = \(tomlString(ociRuntime))\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return Podman(executable: executable, configuration: path)
    }

    /// A TOML basic string.
    static func tomlString(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f: quoted += String(format: "\\u%04X", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
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
