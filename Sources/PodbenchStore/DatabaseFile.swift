import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchSystem

/// The results database as a file: what a path names, and how a command that only reads opens
/// it without writing anything, with no write access to the file or its directory.
///
/// SQLite in WAL mode reads a database through its `-wal` and `-shm` files. podbench's writers
/// keep them (`SQLITE_FCNTL_PERSIST_WAL`), with the database's own permissions, so a reader
/// opens them as they are and makes nothing: SQLite reads a `-shm` it may not write into
/// memory of its own. A database without them (one an older podbench wrote) has nothing in a
/// `-wal` to read: it is opened immutable, the file alone. One with a `-wal` but no `-shm`
/// (someone removed it) is read from a private copy of both, removed when the reader is done.
public enum DatabaseFile {
    /// How a reader opens the database.
    enum Reading {
        /// Read-only, through the `-wal` and `-shm` files that are there.
        case shared(String)
        /// The file alone (a SQLite URI with `immutable=1`): no `-wal` holds anything.
        case immutable(String)
        /// A copy of the file and its `-wal`, in a private directory of podbench's.
        case copy(String, directory: String)
    }

    /// Refuses a path that names something other than a regular file (a FIFO would block the
    /// open, a device would get a journal beside it), with exit 2 at once. Nothing there is
    /// fine: a command that writes makes the file.
    static func check(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw PodbenchError(.badInput, "--db \(path) cannot be opened: \(code == ELOOP ? "its symbolic links loop" : errnoText(code))")
        }
        let kind: String? = switch info.st_mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
        if let kind {
            throw PodbenchError(.badInput, "--db \(path) is \(kind), not a database file; --db names podbench's results database (a file, made by 'podbench run')")
        }
    }

    /// How to read the database at `path` (an existing regular file) without writing.
    static func reading(_ path: String) throws -> Reading {
        let file = resolved(path)
        let wal = size(file + "-wal"), shm = size(file + "-shm")
        if wal != nil && shm != nil { return .shared(file) }
        guard let wal, wal > 0 else { return .immutable(uri(file, "immutable=1")) }
        let directory = try privateDirectory()
        let copy = (directory as NSString).appendingPathComponent("copy.sqlite")
        do {
            try FileManager.default.copyItem(atPath: file, toPath: copy)
            try FileManager.default.copyItem(atPath: file + "-wal", toPath: copy + "-wal")
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw PodbenchError(.store, "cannot read \(path): its -shm file is missing and its -wal could not be copied to read it", cause: "\(error)")
        }
        return .copy(copy, directory: directory)
    }

    /// The path with its symbolic links followed: SQLite names the `-wal` and `-shm` files
    /// after the file it opens.
    public static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// The size of the file at `path`, nil when there is none.
    private static func size(_ path: String) -> Int64? {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG ? Int64(info.st_size) : nil
    }

    /// A SQLite URI for `path` with `query`: every byte but the unreserved ones escaped, so that
    /// a `?`, `#` or `%` in a file name stays part of it.
    static func uri(_ path: String, _ query: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        let escaped = path.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
        return "file:\(escaped)?\(query)"
    }

    /// A new directory (mode 0700) in the temporary directory, removed if podbench is made to
    /// stop at once.
    private static func privateDirectory() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base as NSString).appendingPathComponent("podbench-read-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw PodbenchError(.store, "cannot make a directory to read the database in", cause: errnoText(errno))
        }
        return String(cString: made)
    }
}
