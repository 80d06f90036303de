import Foundation
import PodbenchProbeInterface

/// Loads scenario files and directories, validating everything before anything runs.
public enum ScenarioLoader {
    /// Parses one scenario from text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ScenarioErrors) -> Scenario {
        try ScenarioParser.parse(text, file: file)
    }

    /// Loads the given files, and every `*.yaml`/`*.yml` file of the given directories, sorted
    /// by name. Throws every problem found in any of them, including a scenario name used twice.
    public static func load(paths: [String]) throws(ScenarioErrors) -> [Scenario] {
        var errors: [ScenarioError] = []
        var scenarios: [Scenario] = []
        for file in expand(paths, &errors) {
            let text: String
            switch read(file) {
            case .success(let read): text = read
            case .failure(let problem):
                errors.append(problem)
                continue
            }
            do {
                scenarios.append(try parse(text, file: file))
            } catch {
                errors += error.errors
            }
        }
        var firstFile: [String: String] = [:]
        for scenario in scenarios {
            if let other = firstFile[scenario.name] {
                errors.append(ScenarioError(file: scenario.file, line: 0, column: 0, message: "duplicate scenario name '\(scenario.name)', also used in \(other); rename one"))
            } else {
                firstFile[scenario.name] = scenario.file
            }
        }
        guard errors.isEmpty else { throw ScenarioErrors(errors) }
        return scenarios
    }

    /// A scenario file's text, or why it cannot be read: it is not a regular file (a FIFO is
    /// never waited on), the system refused it (with the errno), it is too large (refused
    /// before it is read) or not UTF-8.
    static func read(_ file: String) -> Result<String, ScenarioError> {
        func problem(_ message: String) -> Result<String, ScenarioError> {
            .failure(ScenarioError(file: file, line: 0, column: 0, message: message))
        }
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return problem("cannot read the file: " + openProblem(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return problem("cannot read the file: \(errnoText(errno))") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return problem("it is a directory, not a scenario file")
        case S_IFIFO: return problem("it is a FIFO, not a regular file; podbench reads scenarios from files")
        default: return problem("it is not a regular file; podbench reads scenarios from files")
        }
        if let tooLarge = ScenarioLimits.sizeProblem(Int(info.st_size), file: file) { return .failure(tooLarge) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= ScenarioLimits.fileBytes {
            let n = Foundation.read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return problem("cannot read the file: \(errnoText(errno))") }
            if n == 0 { break }
            bytes += buffer.prefix(n)
        }
        // It grew while it was read.
        if let tooLarge = ScenarioLimits.sizeProblem(bytes.count, file: file) { return .failure(tooLarge) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return problem("the file is not UTF-8 text") }
        return .success(text)
    }

    /// Why a path could not be opened, in a user's words, with the errno.
    private static func openProblem(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file (\(errnoText(code)))"
        case EACCES: "permission denied: podbench may not read it (\(errnoText(code)))"
        case ELOOP: "its symbolic links loop (\(errnoText(code)))"
        default: errnoText(code)
        }
    }

    private static func expand(_ paths: [String], _ errors: inout [ScenarioError]) -> [String] {
        var files: [String] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                let code = errno
                errors.append(ScenarioError(file: path, line: 0, column: 0, message: code == ENOENT ? "no such file or directory" : "cannot read it: " + openProblem(code)))
                continue
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                files.append(path)
                continue
            }
            guard access(path, R_OK | X_OK) == 0 else {
                errors.append(ScenarioError(file: path, line: 0, column: 0, message: "cannot list the directory: " + openProblem(errno)))
                continue
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let yaml = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            if yaml.isEmpty {
                // A mistyped directory in a CI job must not pass green with nothing run.
                errors.append(ScenarioError(file: path, line: 0, column: 0, message: "no scenario files (*.yaml) in this directory; check --scenarios or PODBENCH_SCENARIOS"))
            }
            files += yaml.map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }
        }
        return files
    }
}
