import Foundation
import PodbenchCore
import PodbenchSystem

/// The report files a command was asked for, each a kind and a path; checked before any work
/// is done, written at the end, each through `ReportFile`.
public struct ReportFiles: Sendable {
    public var paths: [(kind: ReportKind, path: String)] = []

    public init() {}

    public mutating func add(_ kind: ReportKind, _ path: String?) {
        if let path { paths.append((kind, path)) }
    }

    public var isEmpty: Bool { paths.isEmpty }

    /// Refuses (exit 2) files that cannot be written: a directory, or a file in a directory
    /// that does not exist or may not be written in. Only the file is ever made.
    public func check(nothingDone: String = "") throws {
        for (kind, path) in paths {
            guard let problem = ReportFile.problem(writing: path) else { continue }
            throw PodbenchError(.badInput, "\(kind.flag) \(path) cannot be written: \(problem); name another file." + (nothingDone.isEmpty ? "" : " " + nothingDone))
        }
    }

    /// Writes every file, each whole or not at all, and says where on standard error.
    public func write(_ report: Report) throws {
        try check()
        for (kind, path) in paths {
            let text = try kind.format.render(report)
            do {
                try ReportFile.write(text, to: path)
            } catch {
                // The path was fine to ask for; writing failed (a full disk): the environment's.
                throw PodbenchError(.runtime, "\(error)")
            }
            StandardStreams.error("podbench: wrote \(path)\n")
        }
    }
}
