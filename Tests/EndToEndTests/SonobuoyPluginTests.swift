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

}

@Suite struct SonobuoyPluginTests {
    @Test func thePluginDefinitionIsValidAndABrokenOneIsNot() async throws {
        let valid = try await runCommand("/usr/bin/env", ["python3", SonobuoyPlugin.checker])
        #expect(valid.status == 0, "\(valid.error)")
        let rbac = try await runCommand("/usr/bin/env", ["kubernetes-validate", "--strict", SonobuoyPlugin.directory.appendingPathComponent("rbac.yaml").path])
        #expect(rbac.status == 0, "\(rbac.output)\(rbac.error)")
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
    /// registry's, a progress endpoint of the test's own. The results directory holds JUnit,
    /// HTML, JSON and the database, and the done file names it (the worker sends it as a
    /// tarball); progress came after each scenario; every kubectl call is one rbac.yaml allows,
    /// and every rule it grants is used. A run that cannot be carried out still ends with a
    /// done file, its JUnit saying why.
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
                return [argument.replacingOccurrences(of: "/tmp/podbench.sqlite", with: scratch.url.appendingPathComponent("r.sqlite").path)]
            }
        }
        // sonobuoy's worker's progress endpoint, as a server that keeps what it is sent.
        let posted = scratch.url.appendingPathComponent("progress.jsonl").path
        let receiver = try scratch.file("progress.py", """
            import http.server, sys
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers["Content-Length"]))
                    with open(sys.argv[2], "ab") as out: out.write(body + b"\\n")
                    self.send_response(200); self.end_headers()
                def log_message(self, *args): pass
            http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
            """)
        let port = Int.random(in: 20_000...40_000)
        let started = try await runCommand("/bin/bash", ["-c", #"exec python3 "$1" "$2" "$3" >/dev/null 2>&1 & echo $!"#, "bash", receiver, "\(port)", posted])
        let receiverPid = try #require(Int32(started.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(receiverPid, SIGTERM) }
        try await Task.sleep(for: .milliseconds(500))
        let variables = ["PODBENCH_KUBECTL": Self.standIn, "KUBECTL_STANDIN_STATE": scratch.url.appendingPathComponent("kubectl").path, "PODBENCH_HOST": "standin-node",
                         "HOME": scratch.url.path, "SONOBUOY_RESULTS_DIR": results.path, "SONOBUOY_PROGRESS_PORT": "\(port)"]
        let done = results.appendingPathComponent("done")
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("kubectl"), withIntermediateDirectories: true)
        // The namespace rbac.yaml makes: the plugin no longer makes it.
        _ = try await runCommand(Self.standIn, ["create", "namespace", "podbench"], environment: ["KUBECTL_STANDIN_STATE": scratch.url.appendingPathComponent("kubectl").path])
        try? FileManager.default.removeItem(at: scratch.url.appendingPathComponent("kubectl/calls.jsonl"))

        let run = try await podbenchRun(adapted(["shared-volume", "pod-isolation-ipc"]), environment: variables)
        #expect(run.status == 0, "\(run.output)\(run.error)")
        let named = try String(contentsOf: done, encoding: .utf8)
        #expect(named == results.path, "the directory, alone, no line break: \(named)")
        let held = try FileManager.default.contentsOfDirectory(atPath: results.path).sorted()
        #expect(held == ["done", "podbench-junit.xml", "podbench-report.html", "podbench-report.json", "podbench.sqlite"], "\(held)")
        let junit = results.appendingPathComponent("podbench-junit.xml").path
        let parsed = try await runCommand("/usr/bin/env", ["python3", "-c", "import sys; from junitparser import JUnitXml; print(sum(1 for s in JUnitXml.fromfile(sys.argv[1]) for c in s))", junit])
        #expect(parsed.status == 0 && (Int(parsed.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 10, "\(parsed.output)\(parsed.error)")
        let updates = try String(contentsOfFile: posted, encoding: .utf8).split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(updates.compactMap { $0["completed"] as? Int } == [1, 2] && updates.allSatisfy { $0["total"] as? Int == 2 }, "\(updates)")
        let rbac = try await runCommand("/usr/bin/env", ["python3", SonobuoyPlugin.directory.appendingPathComponent("check-rbac").path, scratch.url.appendingPathComponent("kubectl/calls.jsonl").path])
        #expect(rbac.status == 0, "\(rbac.error)")
        try await expectNoPodsLeft(scratch.url.appendingPathComponent("kubectl"))

        try FileManager.default.removeItem(at: done)
        let failed = try await podbenchRun(adapted(["no-such-scenario"]), environment: variables)
        #expect(failed.status == 2, "\(failed.error)")
        #expect(try String(contentsOf: done, encoding: .utf8) == results.path)
        let error = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(error.contains("<error ") && error.contains("no scenario named &#39;no-such-scenario&#39;"), "\(error)")
    }
}
