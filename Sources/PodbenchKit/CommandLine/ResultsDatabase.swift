import Foundation
import PodbenchStore
import PodbenchSystem

/// The results database a command reads or writes, by its file.
public struct ResultsDatabase: Sendable {
    /// Where `--db` points when it is not given.
    public static let defaultPath = "Results/podbench.sqlite"

    public var path: String

    public init(_ path: String) {
        self.path = path
    }

    /// Whether the file is there.
    var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Opens the database to write to it (creating it when `mustExist` is false); one that must
    /// exist and does not, or that is not podbench's, is bad input (status 2).
    func open(mustExist: Bool = true) throws -> ResultStore {
        try requireFile(mustExist)
        return try ResultStore(path: path)
    }

    /// Opens an existing database read-only: read commands never write, migrate or lock it.
    func openForReading() throws -> ResultStore {
        try requireFile(true)
        return try ResultStore(readingAt: path)
    }

    private func requireFile(_ mustExist: Bool) throws {
        if mustExist && !exists {
            throw PodbenchError(.notFound, "there is no results database at \(path); 'podbench run' makes one, or --db names another")
        }
    }

    /// There is no run `id` in this database (status 2).
    func noSuchRun(_ id: Int64) -> PodbenchError {
        StoreError.noSuchRun(id, database: path).podbenchError
    }
}
