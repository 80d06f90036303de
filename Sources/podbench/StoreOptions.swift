import ArgumentParser
import Foundation
import PodbenchStore
import PodbenchSystem

/// The results database every command that reads or writes results takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The results database.", valueName: "path"))
    var db = "Results/podbench.sqlite"

    /// Opens the database to write to it (creating it when `mustExist` is false); one that must
    /// exist and does not, or that is not podbench's, is bad input (status 2).
    func open(mustExist: Bool = true) throws -> ResultStore {
        try requireFile(mustExist)
        return try ResultStore(path: db)
    }

    /// Opens an existing database read-only: read commands never write, migrate or lock it.
    func openForReading() throws -> ResultStore {
        try requireFile(true)
        return try ResultStore(readingAt: db)
    }

    private func requireFile(_ mustExist: Bool) throws {
        if mustExist && !FileManager.default.fileExists(atPath: db) {
            throw PodbenchError(.notFound, "there is no results database at \(db); 'podbench run' makes one, or --db names another")
        }
    }

    /// There is no run `id` in this database (status 2).
    func noSuchRun(_ id: Int64) -> PodbenchError {
        StoreError.noSuchRun(id, database: db).podbenchError
    }
}
