import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// How a command (podman, kubectl, a build step) ended, and what it printed.
public struct CommandResult: Sendable {
    public var status: Int32
    public var output: String
    public var error: String

    public var succeeded: Bool { status == 0 }

    /// Runs `executable` (a path, or a name looked up on PATH) with an argument array, never a
    /// shell line, to its end.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil, in directory: String? = nil) async throws -> CommandResult {
        let overrides = Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), Optional($0.value)) })
        let result = try await Subprocess.run(
            executable.hasPrefix("/") ? .path(FilePath(executable)) : .name(executable),
            arguments: Arguments(arguments), environment: Environment.inherit.updating(overrides),
            workingDirectory: directory.map { FilePath($0) }, input: .string(input ?? ""),
            output: .string(limit: 64 << 20), error: .string(limit: 16 << 20))
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return CommandResult(status: status, output: result.standardOutput, error: result.standardError)
    }

    /// Runs it and throws a `RuntimeError` carrying the command, its exit status and the end of
    /// what it said (standard error, else standard output) when it fails.
    public static func check(_ executable: String, _ arguments: [String], _ what: String, environment: [String: String] = [:], input: String? = nil, in directory: String? = nil) async throws(RuntimeError) -> CommandResult {
        let result: CommandResult
        do {
            result = try await run(executable, arguments, environment: environment, input: input, in: directory)
        } catch {
            throw RuntimeError("cannot run \(executable) to \(what)", cause: "\(error)")
        }
        guard result.succeeded else {
            throw RuntimeError("\(executable) could not \(what)", cause: result.failure(of: [executable] + arguments))
        }
        return result
    }

    /// The `NAME VALUE` lines a listing prints with `--format '{{.Name}} {{...}}'`, the value
    /// empty where there is none.
    public var namesAndValues: [(name: String, value: String)] {
        output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            return fields.isEmpty ? nil : (fields[0], fields.count > 1 ? fields[1] : "")
        }
    }

    /// How many of its last lines a failure quotes.
    public static let quotedLines = 5

    /// `COMMAND exited N: LAST LINES`: the command as a reader could type it again, its status,
    /// and the last lines it wrote to standard error (standard output when it wrote none there).
    public func failure(of command: [String]) -> String {
        let said = error.contains(where: { !$0.isWhitespace }) ? error : output
        let lines = said.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.suffix(Self.quotedLines)
        let ending = "`\(command.map(Self.quoted).joined(separator: " "))` exited \(status)"
        return lines.isEmpty ? ending : "\(ending): \(lines.joined(separator: " / "))"
    }

    /// An argument as a POSIX shell reads it back: quoted when it holds anything but plain
    /// characters. For messages only: podbench never runs a shell line.
    public static func quoted(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:,@%+".contains($0)) }
        return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
