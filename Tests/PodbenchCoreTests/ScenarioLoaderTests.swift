import Foundation
import PodbenchCore
import Testing

/// A valid scenario to start each broken case from.
private let valid = """
    name: sample
    description: A sample.
    tags: [volume]
    pod:
      name: pod-a
      volumes:
        - name: data
          emptyDir: {}
      containers:
        - name: writer
          probe: volume-writer
          args:
            path: /data/file
          volumeMounts:
            - name: data
              mountPath: /data
    expect:
      - check: volume.written
        level: MUST
    """

/// The table below is written indented like the source of `valid`; its text has no indent.
private func dedent(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
        .joined(separator: "\n")
}

private func problems(_ text: String) -> [ScenarioError] {
    do {
        _ = try ScenarioLoader.parse(text, file: "case.yaml")
        return []
    } catch {
        return error.errors
    }
}

@Suite struct ScenarioLoaderTests {
    @Test func theRepositoryScenariosLoad() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scenarios").standardized.path
        let scenarios = try ScenarioLoader.load(paths: [directory])
        #expect(scenarios.map(\.name).contains("shared-volume"))
        #expect(scenarios.map(\.name).contains("ipc-message-queue"))
        let hinted = try ScenarioLoader.load(paths: [directory + "/../Examples/gvisor-mount-hints"])
        #expect(hinted.count == 4 && hinted.allSatisfy { $0.pods.allSatisfy { $0.annotations.contains { $0.key.hasPrefix("dev.gvisor.spec.mount.") } } })
    }

    @Test func aValidScenarioBecomesTheModel() throws {
        let scenario = try ScenarioLoader.parse(valid, file: "case.yaml")
        #expect(scenario.name == "sample")
        #expect(scenario.tags == ["volume"])
        #expect(scenario.timeout == 60_000_000_000)
        let container = try #require(scenario.pods.first?.containers.first)
        #expect(container.probeArguments == ["volume-writer", "--path", "/data/file"])
        #expect(container.volumeMounts.first?.mountPath == "/data")
        #expect(scenario.level(of: "volume.written") == .must)
        #expect(scenario.level(of: "pod.completed") == .info)
    }

    @Test func aRegressionToleranceIsReadAsAFraction() throws {
        let scenario = try ScenarioLoader.parse(valid.replacingOccurrences(of: "tags: [volume]", with: "tags: [volume]\nregressionTolerance: 25%"), file: "t.yaml")
        #expect(scenario.regressionTolerance == 0.25)
        #expect(try ScenarioLoader.parse(valid, file: "t.yaml").regressionTolerance == nil)
    }

    @Test func memoryMediumAndSeveralPodsAreRead() throws {
        let scenario = try ScenarioLoader.parse("""
            name: two
            description: Two pods.
            pods:
              - name: a
                volumes: [{name: v, emptyDir: {medium: Memory}}]
                containers: [{name: c, probe: sysv-producer}]
              - name: b
                containers: [{name: c, probe: sysv-consumer}]
            expect: [{check: pod.completed, level: MUST}]
            """, file: "two.yaml")
        #expect(scenario.pods.map(\.name) == ["a", "b"])
        #expect(scenario.pods[0].volumes[0].medium == .memory)
    }

    @Test func podAnnotationsAreReadInTheirOrder() throws {
        let scenario = try ScenarioLoader.parse("""
            name: hinted
            description: A pod with gVisor's mount hints.
            pod:
              name: a
              annotations:
                dev.gvisor.spec.mount.v.share: pod
                dev.gvisor.spec.mount.v.type: tmpfs
                note: "1"
              volumes: [{name: v, emptyDir: {}}]
              containers: [{name: c, probe: sysv-producer}]
            expect: [{check: pod.completed, level: MUST}]
            """, file: "hinted.yaml")
        #expect(scenario.pods[0].annotations.map(\.key) == ["dev.gvisor.spec.mount.v.share", "dev.gvisor.spec.mount.v.type", "note"])
        #expect(scenario.pods[0].annotations.map(\.value) == ["pod", "tmpfs", "1"])
    }

    /// Each broken variant of `valid`, the position of the error and words its message must hold.
    static let brokenCases: [(id: String, replace: String, with: String, line: Int, column: Int, words: [String])] = [
        ("unknown key", "    tags: [volume]", "    tagz: [volume]", 3, 1, ["unknown key 'tagz'", "did you mean 'tags'"]),
        ("unknown container key", "          probe: volume-writer", "          probe: volume-writer\n          image: debian", 12, 7, ["unknown key 'image'", "container"]),
        ("wrong type", "    tags: [volume]", "    tags: volume", 3, 7, ["tags must be a list"]),
        ("wrong type for a mapping", "          volumeMounts:\n            - name: data\n              mountPath: /data", "          volumeMounts: /data", 14, 21, ["volumeMounts must be a list"]),
        ("undeclared volume", "            - name: data\n              mountPath", "            - name: logs\n              mountPath", 15, 17, ["volume 'logs' is not declared", "declared: data"]),
        ("duplicate container", "    expect:", "        - name: writer\n          probe: volume-writer\n          args: {path: /x}\n    expect:", 17, 7, ["duplicate container name 'writer'"]),
        ("duplicate key", "    tags: [volume]", "    tags: [volume]\n    tags: [ipc]", 3, 1, ["duplicate key 'tags'"]),
        ("unknown probe role", "probe: volume-writer", "probe: volume-writr", 11, 14, ["unknown probe role 'volume-writr'", "did you mean 'volume-writer'"]),
        ("bad argument value", "path: /data/file", "path: data/file", 13, 15, ["args.path", "not absolute"]),
        ("unknown argument", "path: /data/file", "path: /data/file\n            speed: 3", 14, 9, ["unknown key 'speed'", "args of probe volume-writer"]),
        ("missing required argument", "          args:\n            path: /data/file\n", "", 10, 7, ["needs args.path"]),
        ("integer out of range", "path: /data/file", "path: /data/file\n            count: 0", 14, 16, ["args.count", "out of range"]),
        ("unknown check", "check: volume.written", "check: volume.writen", 18, 12, ["no probe in this scenario reports check 'volume.writen'", "did you mean 'volume.written'"]),
        ("bad level", "level: MUST", "level: MAYBE", 19, 12, ["level 'MAYBE' is not one of MUST, SHOULD, INFO"]),
        ("bad name", "name: sample", "name: Sample_1", 1, 7, ["'Sample_1' is not a valid name"]),
        ("relative mount path", "mountPath: /data", "mountPath: data", 16, 22, ["mountPath 'data' must be absolute"]),
        ("mount under /proc", "mountPath: /data", "mountPath: /proc/x", 16, 22, ["cannot be under /proc"]),
        ("restart policy", "      name: pod-a", "      name: pod-a\n      restartPolicy: Always", 6, 18, ["restartPolicy 'Always' is not supported", "Never"]),
        ("bad medium", "emptyDir: {}", "emptyDir: {medium: Disk}", 8, 26, ["medium 'Disk' is not supported"]),
        ("missing pod", "    pod:\n      name: pod-a", "    other:\n      name: pod-a", 1, 1, ["missing 'pod'"]),
        ("invalid YAML", "    tags: [volume]", "    tags: [volume", 4, 4, ["not valid YAML"]),
        ("bad timeout", "    tags: [volume]", "    tags: [volume]\n    timeout: soon", 4, 10, ["timeout 'soon' is not a duration"]),
        ("probe path outside the volumes", "path: /data/file", "path: /etc/file", 13, 15, ["args.path '/etc/file' is not inside one of the container's volume mounts", "mounted: /data"]),
        ("nested mount paths", "              mountPath: /data", "              mountPath: /data\n            - name: data\n              mountPath: /data/sub", 17, 11, ["mountPath '/data/sub' is inside mountPath '/data'"]),
        ("blank description", "description: A sample.", "description: \"  \"", 2, 14, ["description has no value"]),
        ("bad regression tolerance", "    tags: [volume]", "    tags: [volume]\n    regressionTolerance: 0.2", 4, 22, ["regressionTolerance '0.2' is not a percentage", "10% or 25%"]),
        ("bad capability", "          probe: volume-writer", "          probe: volume-writer\n          securityContext: {capabilities: {add: [CAP_NET_RAW]}}", 12, 46, ["capability 'CAP_NET_RAW' is not a capability name", "NET_RAW"]),
        ("readOnly not a bool", "mountPath: /data", "mountPath: /data\n              readOnly: maybe", 17, 21, ["readOnly must be true or false"]),
        ("annotations not a mapping", "      name: pod-a", "      name: pod-a\n      annotations: [a]", 6, 16, ["annotations must be a mapping"]),
        ("bad annotation key", "      name: pod-a", "      name: pod-a\n      annotations: {\"Dev.gvisor/x\": a}", 6, 17, ["annotation key 'Dev.gvisor/x'", "not a DNS subdomain"]),
        ("annotation key with two slashes", "      name: pod-a", "      name: pod-a\n      annotations: {a/b/c: a}", 6, 17, ["has more than one '/'"]),
        ("annotation value not a scalar", "      name: pod-a", "      name: pod-a\n      annotations: {a: [b]}", 6, 20, ["annotation a must be a single value"]),
    ]

    @Test(arguments: brokenCases.indices)
    func aBrokenScenarioIsReportedAtItsLineAndColumn(_ index: Int) throws {
        let broken = Self.brokenCases[index]
        let text = valid.replacingOccurrences(of: dedent(broken.replace), with: dedent(broken.with))
        try #require(text != valid, "case '\(broken.id)' did not change the scenario")
        let found = problems(text)
        try #require(!found.isEmpty, "case '\(broken.id)' loaded without error")
        let matching = found.first { error in
            error.file == "case.yaml" && (error.line, error.column) == (broken.line, broken.column)
                && broken.words.allSatisfy { error.message.contains($0) }
        }
        #expect(matching != nil, "case '\(broken.id)': \(found.map(\.description))")
    }

    @Test func everyProblemInAFileIsReportedNotOnlyTheFirst() {
        let text = valid
            .replacingOccurrences(of: "tags: [volume]", with: "tagz: [volume]")
            .replacingOccurrences(of: "level: MUST", with: "level: OFTEN")
        #expect(problems(text).count == 2)
    }

    @Test func aScenarioNameUsedTwiceAcrossFilesIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("podbench-dup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try valid.write(to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try valid.write(to: directory.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        #expect {
            try ScenarioLoader.load(paths: [directory.path])
        } throws: { error in
            let errors = (error as? ScenarioErrors)?.errors ?? []
            return errors.count == 1 && errors[0].file.hasSuffix("b.yaml") && errors[0].message.contains("duplicate scenario name 'sample', also used in") && errors[0].message.contains("a.yaml")
        }
    }

    @Test func aMissingPathIsAnError() {
        #expect(throws: ScenarioErrors.self) {
            try ScenarioLoader.load(paths: ["/nonexistent/podbench"])
        }
    }

    @Test func errorsPrintLikeACompilers() {
        let error = ScenarioError(file: "Scenarios/x.yaml", line: 3, column: 5, message: "unknown key 'a'")
        #expect(error.description == "Scenarios/x.yaml:3:5: error: unknown key 'a'")
    }
}
