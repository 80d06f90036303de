import Foundation

/// The files by which the adapter's commands and a container's holder process speak, in the
/// adapter's state directory: `ID.holder` (the holder's pid), `ID.started`, `ID.deleted`.
struct HolderState {
    let directory: String
    let id: String

    /// nil for an ID that could name another path (a slash, a leading dot).
    init?(directory: String, id: String) {
        guard !id.isEmpty, !id.contains("/"), !id.hasPrefix(".") else { return nil }
        self.directory = directory
        self.id = id
    }

    enum Mark: String, CaseIterable {
        case holder, started, deleted
    }

    func path(_ mark: Mark) -> String { "\(directory)/\(id).\(mark.rawValue)" }

    func has(_ mark: Mark) -> Bool { access(path(mark), F_OK) == 0 }

    /// Writes `text` to the mark's file, whole or not at all (written beside it and renamed).
    func set(_ mark: Mark, _ text: String = "") throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Data(text.utf8).write(to: URL(fileURLWithPath: path(mark)), options: .atomic)
    }

    var holder: pid_t? {
        (try? String(contentsOfFile: path(.holder), encoding: .utf8)).flatMap { pid_t($0) }
    }

    func removeAll() {
        for mark in Mark.allCases { unlink(path(mark)) }
    }
}
