/// An OCI runtime command line as a runc-style monitor gives it (containerd's runc shim,
/// podman's conmon): global flags, the command, its arguments.
public struct OCICommandLine: Equatable, Sendable {
    public var global: [String]
    /// `create`, `start`, `kill`...; nil when there is none (`--version`, `flags`).
    public var command: String?
    public var arguments: [String]

    /// The global flags that take a value in the next argument.
    static let globalValueFlags: Set<String> = ["--root", "-root", "--log", "-log", "--log-format", "-log-format", "--debug-log", "-debug-log", "--criu", "--rootless"]
    /// The flags of create, start, kill and delete that take a value in the next argument.
    static let commandValueFlags: Set<String> = ["--bundle", "-bundle", "-b", "--pid-file", "-pid-file", "--console-socket", "-console-socket", "--user-log"]
    static let commands: Set<String> = ["create", "start", "state", "kill", "delete", "run", "exec", "wait", "ps", "events", "pause", "resume", "checkpoint", "restore", "list", "spec", "features", "update"]

    public init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count, !Self.commands.contains(arguments[index]) {
            index += Self.globalValueFlags.contains(arguments[index]) ? 2 : 1
        }
        guard index < arguments.count else {
            self.init(global: arguments, command: nil, arguments: [])
            return
        }
        self.init(global: Array(arguments[..<index]), command: arguments[index], arguments: Array(arguments[(index + 1)...]))
    }

    public init(global: [String], command: String?, arguments: [String]) {
        self.global = global
        self.command = command
        self.arguments = arguments
    }

    /// The value of the command's flag `name` (`--bundle`), given as `--bundle X` or `--bundle=X`.
    public func value(of names: String...) -> String? {
        for (index, argument) in arguments.enumerated() {
            for name in names {
                if argument == name, index + 1 < arguments.count { return arguments[index + 1] }
                if argument.hasPrefix(name + "=") { return String(argument.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }

    /// The container's ID: the command's first argument that is neither a flag nor a flag's
    /// value (`kill ID SIGNAL`, `create --bundle B ID`).
    public var containerID: String? {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if !argument.hasPrefix("-") { return argument }
            index += Self.commandValueFlags.contains(argument) ? 2 : 1
        }
        return nil
    }
}
