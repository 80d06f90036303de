import Foundation

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
            // Refused before it is read: a huge file would be held whole in memory.
            if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, let problem = ScenarioLimits.sizeProblem(size, file: file) {
                errors.append(problem)
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                errors.append(ScenarioError(file: file, line: 0, column: 0, message: "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                errors.append(ScenarioError(file: file, line: 0, column: 0, message: "the file is not UTF-8 text"))
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

    private static func expand(_ paths: [String], _ errors: inout [ScenarioError]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                errors.append(ScenarioError(file: path, line: 0, column: 0, message: "no such file or directory"))
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
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
