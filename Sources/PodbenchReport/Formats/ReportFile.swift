import Foundation

/// Writes report files whole or not at all: into a temporary file beside the target, then
/// renamed over it, so a reader or an interruption never sees half a report.
public enum ReportFile {
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
