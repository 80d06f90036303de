import PodbenchProbeInterface
import PodbenchSystem
import Yams

/// Turns one scenario file's text into a validated `Scenario`, or every problem found in it.
enum ScenarioParser {
    static let defaultTimeout: UInt64 = 60_000_000_000
    /// Checks the runtime judges itself, whatever the probes.
    static var podChecks: [String] { ["pod.completed"] + Judge.namespaceCheckNames }

    static func parse(_ text: String, file: String) throws(ScenarioErrors) -> Scenario {
        var reader = NodeReader(file: file)
        if let problem = ScenarioLimits.sizeProblem(text.utf8.count, file: file) {
            throw ScenarioErrors([problem])
        }
        if let problem = ScenarioLimits.aliasProblem(in: text, file: file) {
            throw ScenarioErrors([problem])
        }
        let root: Node?
        do {
            // No implicit typing: every plain value stays text, so that an explicit tag is
            // the only tag a node can carry but !!str, !!seq or !!map.
            root = try Yams.compose(yaml: text, .basic)
        } catch {
            throw ScenarioErrors([yamlError(error, file: file)])
        }
        guard let root else {
            throw ScenarioErrors([ScenarioError(file: file, line: 0, column: 0, message: "the file is empty; a scenario needs name, description, pod and expect")])
        }
        reader.refuseTags(in: root)
        let scenario = parse(root, file: file, &reader)
        guard reader.errors.isEmpty, let scenario else { throw ScenarioErrors(reader.errors) }
        return scenario
    }

    private static func parse(_ root: Node, file: String, _ reader: inout NodeReader) -> Scenario? {
        let keys = ["name", "description", "tags", "timeout", "regressionTolerance", "pod", "pods", "expect"]
        guard let map = reader.mapping(root, "the scenario", allowed: keys, required: ["name", "description", "expect"]) else { return nil }
        let name = map["name"].flatMap { reader.name($0, "the scenario name") }
        let description = map["description"].flatMap { reader.string($0, "description") }
        var tags: [String] = []
        if let node = map["tags"], let items = reader.sequence(node, "tags") {
            tags = items.compactMap { reader.string($0, "a tag") }
        }
        var timeout = defaultTimeout
        if let node = map["timeout"], let text = reader.string(node, "timeout") {
            if let value = DurationText.nanoseconds(text) {
                if (ScenarioLimits.shortestTimeout...ScenarioLimits.longestTimeout).contains(value) {
                    timeout = value
                } else {
                    reader.error(at: node, "timeout '\(text)' is out of range; a timeout is from 1s to 24h")
                }
            } else {
                reader.error(at: node, "timeout '\(text)' is not a duration; write it like 30s, 90s or 2m")
            }
        }
        var tolerance: Double?
        if let node = map["regressionTolerance"], let text = reader.string(node, "regressionTolerance") {
            tolerance = percentage(text)
            if tolerance == nil {
                reader.error(at: node, "regressionTolerance '\(text)' is not a percentage from 1% to 1000%; write it like 10% or 25%")
            }
        }
        var pods: [PodSpec] = []
        switch (map["pod"], map["pods"]) {
        case (let pod?, nil):
            pods = parsePod(pod, &reader).map { [$0] } ?? []
            checkPeers(pods.map { (pod, $0) }, &reader)
        case (nil, let list?):
            let parsed = parseEach(list, "pods", &reader) { parsePod($0, &$1) }
            if case .sequence(let items) = list, items.isEmpty { reader.error(at: list, "pods is empty; list at least one pod") }
            checkUnique(parsed.map { ($0.node, $0.value.name) }, what: "pod name", &reader)
            pods = parsed.map(\.value)
            checkPeers(parsed, &reader)
        case (let pod?, _?):
            reader.error(at: pod, "give either 'pod' (one pod) or 'pods' (a list), not both")
        case (nil, nil):
            reader.error(at: root, "the scenario is missing 'pod' (or 'pods' for several pods)")
        }
        checkPairs(pods, podNodes: map["pods"]?.sequence.map { Array($0) } ?? map["pod"].map { [$0] } ?? [], &reader)
        if let problem = ScenarioLimits.containerProblem(pods.reduce(0) { $0 + $1.containers.count }) {
            reader.error(at: map["pods"] ?? map["pod"], problem)
        }
        let expectations = map["expect"].map { parseExpectations($0, pods: pods, &reader) } ?? []
        guard let name, let description else { return nil }
        var scenario = Scenario(name: name, description: description, tags: tags, timeout: timeout, pods: pods, expectations: expectations, file: file)
        scenario.regressionTolerance = tolerance
        return scenario
    }

    /// `25%` as 0.25, within 1% to 1000%.
    private static func percentage(_ text: String) -> Double? {
        guard text.hasSuffix("%"), let value = NumberText.decimal(Substring(String(text.dropLast()).trimmingSpaces)), (1...1000).contains(value) else { return nil }
        return value / 100
    }

    private static func parsePod(_ node: Node, _ reader: inout NodeReader) -> PodSpec? {
        let keys = ["name", "restartPolicy", "shareProcessNamespace", "annotations", "volumes", "containers"]
        guard let map = reader.mapping(node, "a pod", allowed: keys, required: ["name", "containers"]) else { return nil }
        let name = map["name"].flatMap { reader.name($0, "the pod name") }
        if let policy = map["restartPolicy"], let text = reader.string(policy, "restartPolicy"), text != "Never" {
            reader.error(at: policy, "restartPolicy '\(text)' is not supported: probes run to completion, so use Never")
        }
        var volumes: [Volume] = []
        if let list = map["volumes"] {
            let parsed = parseEach(list, "volumes", &reader) { parseVolume($0, &$1) }
            checkUnique(parsed.map { ($0.node, $0.value.name) }, what: "volume name", &reader)
            volumes = parsed.map(\.value)
        }
        var containers: [ContainerSpec] = []
        if let list = map["containers"] {
            if case .sequence(let items) = list, items.isEmpty { reader.error(at: list, "containers is empty; a pod needs at least one container") }
            let parsed = parseEach(list, "containers", &reader) { parseContainer($0, volumes: volumes, &$1) }
            checkUnique(parsed.map { ($0.node, $0.value.name) }, what: "container name", &reader)
            containers = parsed.map(\.value)
        }
        let sharePID = map["shareProcessNamespace"].flatMap { reader.bool($0, "shareProcessNamespace") } ?? false
        let annotations = map["annotations"].map { parseAnnotations($0, &reader) } ?? []
        guard let name else { return nil }
        return PodSpec(name: name, shareProcessNamespace: sharePID, annotations: annotations, volumes: volumes, containers: containers)
    }

    /// `annotations: {KEY: VALUE}` with Kubernetes' rules: a key is a name of at most 63
    /// characters, optionally after a DNS subdomain prefix and `/`; values are text.
    private static func parseAnnotations(_ node: Node, _ reader: inout NodeReader) -> [(key: String, value: String)] {
        guard case .mapping(let pairs) = node else {
            reader.error(at: node, "annotations must be a mapping of keys to values, found \(NodeReader.kind(of: node))")
            return []
        }
        var annotations: [(key: String, value: String)] = []
        var bytes = 0
        for (keyNode, valueNode) in pairs {
            guard let key = reader.string(keyNode, "an annotation key") else { continue }
            if let problem = annotationKeyProblem(key) {
                reader.error(at: keyNode, "annotation key '\(key)' \(problem)")
                continue
            }
            guard case .scalar(let scalar) = valueNode else {
                reader.error(at: valueNode, "annotation \(key) must be a single value (quote it), found \(NodeReader.kind(of: valueNode))")
                continue
            }
            bytes += key.utf8.count + scalar.string.utf8.count
            annotations.append((key, scalar.string))
        }
        if bytes > ScenarioLimits.annotationBytes {
            reader.error(at: node, "the annotations hold \(bytes) bytes; a pod's may hold at most \(ScenarioLimits.annotationBytes), as on Kubernetes")
        }
        return annotations
    }

    /// What is wrong with an annotation key, by Kubernetes' rules, or nil.
    static func annotationKeyProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "has more than one '/'; write PREFIX/NAME" }
        let name = String(parts.last!)
        let isAlphanumeric = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber) }
        guard (1...63).contains(name.count), name.allSatisfy({ isAlphanumeric($0) || "-_.".contains($0) }),
              isAlphanumeric(name.first!), isAlphanumeric(name.last!) else {
            return "is not a valid name: at most 63 letters, digits, '-', '_' and '.', beginning and ending with a letter or digit"
        }
        if parts.count == 2 {
            let prefix = String(parts[0])
            let labels = prefix.split(separator: ".", omittingEmptySubsequences: false)
            guard prefix.count <= 253, labels.allSatisfy({ NodeReader.isDNSLabel(String($0)) }) else {
                return "has prefix '\(prefix)', which is not a DNS subdomain (lower-case labels separated by '.')"
            }
        }
        return nil
    }

    private static func parseVolume(_ node: Node, _ reader: inout NodeReader) -> Volume? {
        guard let map = reader.mapping(node, "a volume", allowed: ["name", "emptyDir"], required: ["name", "emptyDir"]) else { return nil }
        let name = map["name"].flatMap { reader.name($0, "the volume name") }
        var medium = Volume.Medium.disk
        if let emptyDir = map["emptyDir"], let fields = reader.mapping(emptyDir, "emptyDir", allowed: ["medium"]) {
            if let node = fields["medium"], case .scalar(let scalar) = node {
                guard let value = Volume.Medium(rawValue: scalar.string) else {
                    reader.error(at: node, "emptyDir medium '\(scalar.string)' is not supported; use Memory (tmpfs) or leave it out (disk)")
                    return nil
                }
                medium = value
            } else if let node = fields["medium"] {
                reader.error(at: node, "emptyDir medium must be a single value, found \(NodeReader.kind(of: node))")
            }
        }
        return name.map { Volume(name: $0, medium: medium) }
    }

    private static func parseContainer(_ node: Node, volumes: [Volume], _ reader: inout NodeReader) -> ContainerSpec? {
        let keys = ["name", "probe", "args", "volumeMounts", "securityContext"]
        guard let map = reader.mapping(node, "a container", allowed: keys, required: ["name", "probe"]) else { return nil }
        let name = map["name"].flatMap { reader.name($0, "the container name") }
        var spec: ProbeSpec?
        if let node = map["probe"], let role = reader.string(node, "probe") {
            spec = ProbeCatalog.spec(role: role)
            if spec == nil {
                let roles = ProbeCatalog.specs.map(\.role)
                let hint = EditDistance.nearest(to: role, among: roles).map { " (did you mean '\($0)'?)" } ?? ""
                reader.error(at: node, "unknown probe role '\(role)'\(hint); known roles: \(roles.joined(separator: ", "))")
            }
        }
        var args: [(name: String, value: String)] = []
        if let node = map["args"], let spec { args = parseArgs(node, spec: spec, &reader) }
        if let spec {
            let given: Set<String> = if case .mapping(let pairs)? = map["args"] { Set(pairs.keys.compactMap { $0.scalar?.string }) } else { [] }
            for parameter in spec.parameters where parameter.isRequired && !given.contains(parameter.name) {
                reader.error(at: map["args"] ?? node, "probe \(spec.role) needs args.\(parameter.name): \(parameter.summary) (\(parameter.expectation))")
            }
        }
        var mounts: [(node: Node, mount: VolumeMount)] = []
        if let list = map["volumeMounts"] {
            mounts = parseEach(list, "volumeMounts", &reader) { parseMount($0, volumes: volumes, &$1) }.map { ($0.node, $0.value) }
            checkUnique(mounts.map { ($0.node, $0.mount.mountPath) }, what: "mountPath", &reader)
            if mounts.count > ScenarioLimits.mountsPerContainer {
                reader.error(at: list, "\(mounts.count) volume mounts; a container may have at most \(ScenarioLimits.mountsPerContainer)")
            }
            for (node, mount) in mounts {
                if let outer = mounts.first(where: { Self.isInside(mount.mountPath, $0.mount.mountPath) && $0.mount.mountPath != mount.mountPath }) {
                    reader.error(at: node, "mountPath '\(mount.mountPath)' is inside mountPath '\(outer.mount.mountPath)'; mount volumes side by side")
                }
            }
        }
        // A probe's files must be on its volumes: a probe writes as root, and must never write
        // to the host.
        if let spec, let argsNode = map["args"], case .mapping(let pairs) = argsNode {
            for (keyNode, valueNode) in pairs {
                guard let key = keyNode.scalar?.string, spec.parameter(named: key)?.kind == .path,
                      let value = valueNode.scalar?.string, value.hasPrefix("/") else { continue }
                if !mounts.contains(where: { Self.isInside(value, $0.mount.mountPath) }) {
                    let paths = mounts.map(\.mount.mountPath)
                    if let twin = paths.first(where: { value == $0 || value.hasPrefix($0 + "/") }) {
                        reader.error(at: valueNode, "args.\(key) '\(value)' and mountPath '\(twin)' read alike but are written in different Unicode normalizations (NFC and NFD), and the kernel compares bytes; write both the same way")
                        continue
                    }
                    let listed = paths.isEmpty ? "the container mounts no volume" : "mounted: \(paths.joined(separator: ", "))"
                    reader.error(at: valueNode, "args.\(key) '\(value)' is not inside one of the container's volume mounts (\(listed))")
                }
            }
        }
        let capabilities = map["securityContext"].map { parseCapabilities($0, &reader) } ?? []
        guard let name, let spec else { return nil }
        var container = ContainerSpec(name: name, probe: spec.role, args: args, volumeMounts: mounts.map(\.mount))
        container.addedCapabilities = capabilities
        return container
    }

    /// `securityContext: {capabilities: {add: [NET_RAW]}}`: what a probe needs beyond PodSecurity
    /// "restricted", said in the scenario so that pods are rendered with it, or skipped.
    private static func parseCapabilities(_ node: Node, _ reader: inout NodeReader) -> [String] {
        guard let context = reader.mapping(node, "securityContext", allowed: ["capabilities"]),
              let capabilities = context["capabilities"].flatMap({ reader.mapping($0, "capabilities", allowed: ["add"], required: ["add"]) }),
              let list = capabilities["add"], let items = reader.sequence(list, "capabilities.add") else { return [] }
        return items.compactMap { item in
            guard let text = reader.string(item, "a capability") else { return nil }
            guard text.allSatisfy({ $0.isUppercase || $0 == "_" }), !text.hasPrefix("CAP_") else {
                reader.error(at: item, "capability '\(text)' is not a capability name; write it as Kubernetes does, like NET_RAW (no CAP_ prefix)")
                return nil
            }
            return text
        }
    }

    private static func parseArgs(_ node: Node, spec: ProbeSpec, _ reader: inout NodeReader) -> [(name: String, value: String)] {
        let allowed = spec.parameters.map(\.name)
        guard case .mapping(let pairs) = node else {
            _ = reader.mapping(node, "args", allowed: allowed)
            return []
        }
        _ = reader.mapping(node, "args of probe \(spec.role)", allowed: allowed)
        var args: [(name: String, value: String)] = []
        for (keyNode, valueNode) in pairs {
            guard let key = keyNode.scalar?.string, let parameter = spec.parameter(named: key) else { continue }
            if parameter.isSetByRuntime {
                reader.error(at: keyNode, "args.\(key) is given by the runtime, not by the scenario (\(parameter.summary)); remove it")
                continue
            }
            guard let value = reader.string(valueNode, "args.\(key)") else { continue }
            if let problem = parameter.problem(with: value) {
                reader.error(at: valueNode, "args.\(key): \(problem); expected \(parameter.expectation)")
                continue
            }
            args.append((key, value))
        }
        return args
    }

    private static func parseMount(_ node: Node, volumes: [Volume], _ reader: inout NodeReader) -> VolumeMount? {
        guard let map = reader.mapping(node, "a volume mount", allowed: ["name", "mountPath", "readOnly"], required: ["name", "mountPath"]) else { return nil }
        var name: String?
        if let node = map["name"], let text = reader.string(node, "the volume mount's name") {
            if volumes.contains(where: { $0.name == text }) {
                name = text
            } else {
                let declared = volumes.map(\.name)
                let listed = declared.isEmpty ? "the pod declares no volumes" : "declared: \(declared.joined(separator: ", "))"
                reader.error(at: node, "volume '\(text)' is not declared in the pod's volumes (\(listed)); add it under volumes or fix the name")
            }
        }
        var path: String?
        if let node = map["mountPath"], let text = reader.string(node, "mountPath") {
            if let problem = mountPathProblem(text) {
                reader.error(at: node, "mountPath '\(text)' \(problem)")
            } else {
                path = text
            }
        }
        let readOnly = map["readOnly"].flatMap { reader.bool($0, "readOnly") } ?? false
        guard let name, let path else { return nil }
        return VolumeMount(name: name, mountPath: path, readOnly: readOnly)
    }

    /// Whether `path` is `directory` or below it, byte for byte as the kernel compares paths
    /// (Swift's `==` takes é and e + U+0301 for one text).
    static func isInside(_ path: String, _ directory: String) -> Bool {
        let path = path.utf8, directory = directory.utf8
        guard path.starts(with: directory) else { return false }
        return path.count == directory.count || path.dropFirst(directory.count).first == UInt8(ascii: "/")
    }

    static func mountPathProblem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "must be absolute (start with /)" }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard !parts.isEmpty, !path.hasSuffix("/") || path == "/" else { return "must not end with /" }
        if path == "/" { return "cannot be / itself" }
        if parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) { return "must be a plain path (no //, . or ..)" }
        if ["proc", "sys", "dev"].contains(String(parts.first!)) { return "cannot be under /\(parts.first!), which the runtime owns" }
        return ScenarioLimits.mountPathProblem(path)
    }

    private static func parseExpectations(_ node: Node, pods: [PodSpec], _ reader: inout NodeReader) -> [Expectation] {
        guard let items = reader.sequence(node, "expect") else { return [] }
        if items.isEmpty { reader.error(at: node, "expect is empty; name the checks that must hold") }
        let roles = Set(pods.flatMap(\.containers).map(\.probe))
        let known = podChecks + ProbeCatalog.specs.filter { roles.contains($0.role) }.flatMap { $0.checks.map(\.text) }
        var expectations: [(node: Node, value: Expectation)] = []
        for item in items {
            guard let map = reader.mapping(item, "an expectation", allowed: ["check", "level"], required: ["check", "level"]) else { continue }
            var check: String?
            if let node = map["check"], let text = reader.string(node, "check") {
                if known.contains(text) {
                    check = text
                } else {
                    let hint = EditDistance.nearest(to: text, among: known).map { " (did you mean '\($0)'?)" } ?? ""
                    reader.error(at: node, "no probe in this scenario reports check '\(text)'\(hint); checks here: \(known.joined(separator: ", "))")
                }
            }
            var level: Level?
            if let node = map["level"], let text = reader.string(node, "level") {
                level = Level(rawValue: text)
                if level == nil { reader.error(at: node, "level '\(text)' is not one of MUST, SHOULD, INFO") }
            }
            if let check, let level { expectations.append((item, Expectation(check: check, level: level))) }
        }
        checkUnique(expectations.map { ($0.node, $0.value.check) }, what: "expected check", &reader)
        return expectations.map(\.value)
    }

    /// Parses each item of a list, keeping the node of each for later messages.
    private static func parseEach<T>(_ list: Node, _ what: String, _ reader: inout NodeReader, _ parse: (Node, inout NodeReader) -> T?) -> [(node: Node, value: T)] {
        guard let items = reader.sequence(list, what) else { return [] }
        var parsed: [(node: Node, value: T)] = []
        for item in items {
            if let value = parse(item, &reader) { parsed.append((item, value)) }
        }
        return parsed
    }

    /// A client's `peer-pod` names a pod listed before its own: pods start in their order, and a
    /// client's pod is made with its peer's address.
    private static func checkPeers(_ pods: [(node: Node, value: PodSpec)], _ reader: inout NodeReader) {
        let peerParameter = EchoClientRole.peer.spec
        var position: [String: Int] = [:]
        for (index, pod) in pods.enumerated() where position[pod.value.name] == nil { position[pod.value.name] = index }
        for (index, (podNode, pod)) in pods.enumerated() {
            for container in pod.containers {
                guard let peer = container.peer else { continue }
                if let at = position[peer], at < index { continue }
                guard !reader.isFull else {
                    reader.error(at: nil, "")  // Counted, not shown.
                    continue
                }
                let node = podNode["containers"]?.sequence?.first { $0["name"]?.string == container.name }?["args"]?[peerParameter.name]
                if peer == pod.name {
                    reader.error(at: node, "args.\(peerParameter.name) '\(peer)' is this container's own pod; name another pod, listed before this one")
                } else if position[peer] != nil {
                    reader.error(at: node, "args.\(peerParameter.name) '\(peer)' is listed after pod '\(pod.name)'; list the peer's pod first (pods start in their order, and a client's pod is made with its peer's address)")
                } else {
                    let names = pods.map(\.value.name)
                    let hint = EditDistance.nearest(to: peer, among: names).map { " (did you mean '\($0)'?)" } ?? ""
                    let listed = names.count <= 8 ? names.joined(separator: ", ") : names.prefix(8).joined(separator: ", ") + " and \(names.count - 8) more"
                    reader.error(at: node, "args.\(peerParameter.name): no pod named '\(peer)' in this scenario\(hint); pods: \(listed)")
                }
            }
        }
    }

    /// A server and a client that meet on a channel are given the same message size (and
    /// count): one given alone would deadlock the pair until the timeout. Pointed at the
    /// client's value, or its args when it takes the default.
    private static func checkPairs(_ pods: [PodSpec], podNodes: [Node], _ reader: inout NodeReader) {
        func containerNode(_ end: Scenario.PairEnd) -> Node? {
            podNodes.first { $0["name"]?.string == end.pod }?["containers"]?.sequence?.first { $0["name"]?.string == end.container.name }
        }
        for disagreement in Scenario.disagreements(of: pods) {
            let node = containerNode(disagreement.client)
            let (client, server) = (disagreement.client, disagreement.server)
            let given = { (end: Scenario.PairEnd) in end.container.args.contains { $0.name == disagreement.parameter } ? "" : " (its default)" }
            reader.error(at: node?["args"]?[disagreement.parameter] ?? node?["args"] ?? node,
                         "args.\(disagreement.parameter) \(disagreement.clientValue)\(given(client)) of \(client.container.probe) '\(client.qualifiedName)' differs from \(disagreement.serverValue)\(given(server)) of its \(server.container.probe) '\(server.qualifiedName)', which it meets on the same channel; give both the same \(disagreement.parameter)")
        }
    }

    /// Reports each repeat of a value, pointing at the item that repeats it.
    private static func checkUnique(_ items: [(node: Node, value: String)], what: String, _ reader: inout NodeReader) {
        var seen: Set<String> = []
        for (node, value) in items where !seen.insert(value).inserted {
            reader.error(at: node, "duplicate \(what) '\(value)'; each must be unique")
        }
    }

    /// The 1-based line and column of the character at `offset` (counted in Characters).
    private static func position(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character.isNewline { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    private static func yamlError(_ error: any Error, file: String) -> ScenarioError {
        switch error as? YamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            // libyaml's own words name a function of its API.
            let message = problem.hasPrefix("Maximum nesting level")
                ? "the YAML is nested more than \(ScenarioLimits.nesting) levels deep; a scenario nests a few"
                : "not valid YAML: \(problem)"
            return ScenarioError(file: file, line: mark.line, column: mark.column, message: message)
        case .reader(let problem, let offset, let value, let yaml):
            // libyaml's reader refuses bytes (control characters, invalid UTF-8) at a character offset.
            let (line, column) = offset.map { position(ofCharacter: $0, in: yaml) } ?? (0, 0)
            let hex = String(value, radix: 16, uppercase: true)
            let what = problem.hasPrefix("control characters")
                ? "control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex) is not allowed here; remove it, or write it escaped in a double-quoted string (\"\\x\(hex.count < 2 ? "0" + hex : hex)\")"
                : "not valid YAML: \(problem)"
            return ScenarioError(file: file, line: line, column: column, message: what)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ScenarioError(file: file, line: context.mark.line, column: context.mark.column, message: "duplicate key '\(duplicates.joined(separator: "', '"))' in a mapping; each key may appear once")
        default:
            return ScenarioError(file: file, line: 0, column: 0, message: "not valid YAML: \(error)")
        }
    }
}
