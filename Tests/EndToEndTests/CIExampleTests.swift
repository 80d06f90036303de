import Foundation
import Testing

/// The nightly-CI examples in docs/ci: valid YAML of the expected shape, whose podbench command
/// lines use only subcommands and flags the built CLI accepts.
@Suite struct CIExampleTests {
    @Test func theGitHubWorkflowRunsNightlyAndKeepsItsResults() async throws {
        let workflow = try #require(try await loadYAML("docs/ci/github-actions.yml") as? [String: Any])
        let triggers = try #require(workflow["on"] as? [String: Any])
        #expect((triggers["schedule"] as? [Any])?.isEmpty == false)
        let jobs = try #require(workflow["jobs"] as? [String: Any]).values.compactMap { $0 as? [String: Any] }
        #expect(workflow["permissions"] != nil || jobs.allSatisfy { $0["permissions"] != nil })
        let steps = jobs.flatMap { $0["steps"] as? [[String: Any]] ?? [] }
        #expect(steps.contains { uses($0, "actions/cache") && input($0, "path")?.contains("results/podbench.sqlite") == true })
        #expect(steps.contains { uses($0, "actions/upload-artifact") && ($0["if"] as? String)?.contains("always()") == true })
    }

    @Test func theGitLabJobRunsOnScheduleAndKeepsItsResults() async throws {
        let pipeline = try #require(try await loadYAML("docs/ci/gitlab-ci.yml") as? [String: Any])
        let job = try #require(pipeline.values.compactMap { $0 as? [String: Any] }.first { $0["script"] != nil })
        let rules = job["rules"] as? [[String: Any]] ?? []
        #expect(rules.contains { ($0["if"] as? String)?.contains(#"$CI_PIPELINE_SOURCE == "schedule""#) == true })
        let artifacts = try #require(job["artifacts"] as? [String: Any])
        #expect(artifacts["when"] as? String == "always")
        #expect((artifacts["reports"] as? [String: Any])?["junit"] as? String == "results/junit.xml")
        #expect((job["cache"] as? [String: Any])?["paths"] as? [String] == ["results/podbench.sqlite"])
    }

    @Test(arguments: ["docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"])
    func everyPodbenchCommandUsesOnlyWhatTheCLIAccepts(file: String) async throws {
        let ci = try await loadYAML(file)
        let commands = podbenchCommands(in: shellScripts(in: ci))
        #expect(commands.contains { $0.starts(with: ["run", "all"]) && $0.contains("--junit") }, "\(commands)")
        #expect(commands.contains { $0.starts(with: ["db", "prune"]) }, "\(commands)")
        for command in commands {
            let unknown = try await unknownParts(of: command)
            #expect(unknown.isEmpty, "\(file): podbench \(command.joined(separator: " ")): unknown \(unknown)")
        }
    }

    @Test func aMisspelledFlagOrSubcommandIsCaught() async throws {
        let script = "mkdir -p results\npodbench run all --runtime kubernetes \\\n  --junitt results/junit.xml || echo podbench failed\nif true; then podbench baselin set 3; fi"
        let commands = podbenchCommands(in: [script])
        try #require(commands == [["run", "all", "--runtime", "kubernetes", "--junitt", "results/junit.xml"], ["baselin", "set", "3"]])
        #expect(try await unknownParts(of: commands[0]) == ["--junitt"])
        #expect(try await unknownParts(of: commands[1]) == ["baselin"])
    }
}

/// A YAML file of the repository as JSON objects, parsed by PyYAML. BaseLoader keeps every
/// scalar a string, so GitHub's `on:` stays the key "on" (YAML 1.1 would make it `true`).
private func loadYAML(_ relativePath: String) async throws -> Any {
    let script = "import sys, yaml, json; json.dump(yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader), sys.stdout)"
    let python = try await runCommand("/usr/bin/env", ["python3", "-c", script, repository.appendingPathComponent(relativePath).path])
    guard python.status == 0 else {
        throw YAMLError(description: "\(relativePath): \(python.error)")
    }
    return try JSONSerialization.jsonObject(with: Data(python.output.utf8))
}

private struct YAMLError: Error, CustomStringConvertible {
    var description: String
}

private func uses(_ step: [String: Any], _ action: String) -> Bool {
    (step["uses"] as? String)?.hasPrefix(action) == true
}

private func input(_ step: [String: Any], _ name: String) -> String? {
    (step["with"] as? [String: Any])?[name] as? String
}

/// The shell text of every `run:` (GitHub) and `script:`, `before_script:` and `after_script:`
/// (GitLab), anywhere in the file.
private func shellScripts(in node: Any) -> [String] {
    if let list = node as? [Any] { return list.flatMap { shellScripts(in: $0) } }
    guard let map = node as? [String: Any] else { return [] }
    return map.flatMap { key, value -> [String] in
        guard ["run", "script", "before_script", "after_script"].contains(key) else { return shellScripts(in: value) }
        return (value as? String).map { [$0] } ?? (value as? [Any] ?? []).compactMap { $0 as? String }
    }
}

/// The arguments of each podbench command in `scripts`, continuation lines joined. podbench must
/// be the command (not a word of an `echo`): first in its segment, after shell keywords and
/// variable assignments only. A command ends at a shell operator, a redirection or a comment.
private func podbenchCommands(in scripts: [String]) -> [[String]] {
    scripts.flatMap { script in
        script.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n").flatMap { line in
            line.split(separator: #/\|\||&&|;|\|/#).compactMap { segment -> [String]? in
                let words = segment.split(whereSeparator: \.isWhitespace).map(String.init)
                guard let start = words.firstIndex(where: { $0 == "podbench" || $0.hasSuffix("/podbench") }),
                    words[..<start].allSatisfy({ shellKeywords.contains($0) || $0.contains("=") })
                else { return nil }
                return Array(words[(start + 1)...].prefix { !$0.hasPrefix("#") && !$0.contains(">") && !$0.contains("<") && $0 != ")" })
            }
        }
    }
}

private let shellKeywords: Set = ["if", "then", "else", "elif", "do", "!", "exec", "time", "command"]

/// What the built CLI does not know in `command`: its subcommand (and sub-subcommand), else each
/// `--flag` its `--help` does not list. Values are not checked (`--runtime kubernetes` is not
/// accepted yet).
private func unknownParts(of command: [String]) async throws -> [String] {
    guard let subcommand = command.first, !subcommand.hasPrefix("-") else { return ["(no subcommand)"] }
    guard var help = try await helpText(of: [subcommand]) else { return [subcommand] }
    if help.contains("SUBCOMMANDS:"), command.count > 1, !command[1].hasPrefix("-") {
        let path = Array(command.prefix(2))
        guard let nestedHelp = try await helpText(of: path) else { return [path.joined(separator: " ")] }
        help = nestedHelp
    }
    let known = Set(help.matches(of: #/--[a-z0-9][a-z0-9-]*/#).map { String($0.output) })
    return command.filter { $0.hasPrefix("--") }.map { String($0.prefix { $0 != "=" }) }.filter { !known.contains($0) }
}

/// `podbench PATH... --help`, or nil when podbench does not know PATH: for an unknown
/// subcommand it prints the top-level help, whose usage is `podbench <subcommand>`.
private func helpText(of path: [String]) async throws -> String? {
    let help = try await podbenchRun(path + ["--help"]).output
    let usage = "USAGE: podbench " + path.joined(separator: " ")
    return help.contains(usage + " ") || help.contains(usage + "\n") ? help : nil
}
