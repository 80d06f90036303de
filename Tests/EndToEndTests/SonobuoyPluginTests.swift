import Foundation
import Testing

/// docs/sonobuoy: the plugin definition is valid (its sonobuoy fields against the schema
/// sonobuoy's documentation gives, its Kubernetes parts against Kubernetes' own), and the
/// command it gives runs podbench to the done file sonobuoy's worker waits for.
enum SonobuoyPlugin {
    static let directory = repository.appendingPathComponent("docs/sonobuoy")
    static let checker = directory.appendingPathComponent("check-plugin").path

    /// The plugin container's arguments and environment, read from the definition.
    static func container() async throws -> (arguments: [String], environment: [[String: Any]]) {
        let script = "import json, sys, yaml; spec = yaml.safe_load(open(sys.argv[1]))['spec']; print(json.dumps({'args': spec['args'], 'env': spec.get('env', [])}))"
        let read = try await runCommand("/usr/bin/env", ["python3", "-c", script, directory.appendingPathComponent("podbench-plugin.yaml").path])
        try #require(read.status == 0, "\(read.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(read.output.utf8)) as? [String: Any])
        return (try #require(object["args"] as? [String]), object["env"] as? [[String: Any]] ?? [])
    }

    /// What sonobuoy's worker does: reads the done file's text as the results file's path, as
    /// it is, and opens that file.
    static func results(done: URL) throws -> (path: String, text: String) {
        let path = try String(contentsOf: done, encoding: .utf8)
        return (path, try String(contentsOfFile: path, encoding: .utf8))
    }
}

@Suite struct SonobuoyPluginTests {
    @Test func thePluginDefinitionIsValidAndABrokenOneIsNot() async throws {
        let valid = try await runCommand("/usr/bin/env", ["python3", SonobuoyPlugin.checker])
        #expect(valid.status == 0, "\(valid.error)")
        let scratch = try Scratch()
        let definition = try String(contentsOf: SonobuoyPlugin.directory.appendingPathComponent("podbench-plugin.yaml"), encoding: .utf8)
        for (broken, words) in [("driver: Job", "driver: CronJob"), ("runAsNonRoot: true", "runAsNonRoot: sure"), ("  name: plugin\n", "")].map({ (definition.replacingOccurrences(of: $0.0, with: $0.1), $0.1) }) {
            let file = try scratch.file("broken.yaml", broken)
            let checked = try await runCommand("/usr/bin/env", ["python3", SonobuoyPlugin.checker, file])
            #expect(checked.status == 1 && checked.error.contains("broken.yaml: "), "'\(words)' passed: \(checked.error)")
        }
    }

    /// `--done-file` needs the JUnit file it names.
    @Test func aDoneFileWithoutJUnitIsBadInput() async throws {
        let run = try await podbenchRun(["run", "shared-volume", "--done-file", "/tmp/podbench-unused-done"])
        #expect(run.status == 2 && run.error.contains("--done-file names the JUnit file in it: give --junit too."), "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/podbench-unused-done"))
    }
}

extension RealPodTests.KubernetesRuntimeTests {
    /// The plugin's own command line, against the kubectl stand-in: its results directory a
    /// scratch one, two scenarios instead of all, the local probe image instead of a
    /// registry's. The done file names the JUnit file, whole, which junitparser reads; a run
    /// that cannot be carried out still ends with a done file, its JUnit saying why.
    @Test func theSonobuoyPluginsCommandEndsWithTheDoneFileTheWorkerWaitsFor() async throws {
        try await ProbeImageForTests.require()
        let scratch = try Scratch()
        let results = scratch.url.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let (arguments, environment) = try await SonobuoyPlugin.container()
        #expect(environment.contains { $0["name"] as? String == "PODBENCH_HOST" })
        func adapted(_ scenarios: [String]) -> [String] {
            arguments.flatMap { argument -> [String] in
                if argument == "all" { return scenarios }
                if argument.hasPrefix("registry.example/podbench-probe") { return ["localhost/podbench-probe:0.1.0"] }
                return [argument.replacingOccurrences(of: "/tmp/sonobuoy/results", with: results.path).replacingOccurrences(of: "/tmp/podbench.sqlite", with: scratch.url.appendingPathComponent("r.sqlite").path)]
            }
        }
        let variables = ["PODBENCH_KUBECTL": Self.standIn, "KUBECTL_STANDIN_STATE": scratch.url.appendingPathComponent("kubectl").path, "PODBENCH_HOST": "standin-node", "HOME": scratch.url.path]
        let done = results.appendingPathComponent("done")

        let run = try await podbenchRun(adapted(["shared-volume", "pod-isolation-ipc"]), environment: variables)
        #expect(run.status == 0, "\(run.output)\(run.error)")
        let (path, junit) = try SonobuoyPlugin.results(done: done)
        #expect(path == results.appendingPathComponent("podbench-junit.xml").path, "the path alone, no line break")
        #expect(junit.contains("<testsuite") && junit.contains("name=\"shared-volume\"") && junit.contains("name=\"pod-isolation-ipc\""))
        let parsed = try await runCommand("/usr/bin/env", ["python3", "-c", "import sys; from junitparser import JUnitXml; print(sum(1 for s in JUnitXml.fromfile(sys.argv[1]) for c in s))", path])
        #expect(parsed.status == 0 && (Int(parsed.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 10, "\(parsed.output)\(parsed.error)")
        try await expectNoPodsLeft(scratch.url.appendingPathComponent("kubectl"))

        try FileManager.default.removeItem(at: done)
        let failed = try await podbenchRun(adapted(["no-such-scenario"]), environment: variables)
        #expect(failed.status == 2, "\(failed.error)")
        let (_, error) = try SonobuoyPlugin.results(done: done)
        #expect(error.contains("<error ") && error.contains("no scenario named &#39;no-such-scenario&#39;"), "\(error)")
    }
}
