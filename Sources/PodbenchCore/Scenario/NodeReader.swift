import PodbenchSystem
import Yams

/// Reads a composed YAML tree, collecting every problem with its line and column instead of
/// stopping at the first.
struct NodeReader {
    let file: String
    /// The problems found, the first `errorLimit` of them, then one that counts the rest.
    var errors: [ScenarioError] {
        found + (dropped > 0 ? [ScenarioError(file: file, line: 0, column: 0, message: "and \(dropped) more problem\(dropped == 1 ? "" : "s") in this file; fix these first")] : [])
    }
    private var found: [ScenarioError] = []
    private var dropped = 0

    /// How many problems of one file are shown: a generated file with a mistake repeated
    /// thousands of times gets a screenful, not megabytes.
    static let errorLimit = 50

    init(file: String) {
        self.file = file
    }

    /// Whether no more problems are shown: work that only makes a message can stop.
    var isFull: Bool { found.count >= Self.errorLimit }

    mutating func error(at node: Node?, _ message: @autoclosure () -> String) {
        guard !isFull else {
            dropped += 1
            return
        }
        let mark = node?.mark
        found.append(ScenarioError(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message()))
    }

    /// The keys of a mapping, each checked against `allowed`; unknown keys are errors.
    mutating func mapping(_ node: Node, _ what: String, allowed: [String], required: [String] = []) -> [String: Node]? {
        guard case .mapping(let pairs) = node else {
            error(at: node, "\(what) must be a mapping of keys to values, found \(Self.kind(of: node))")
            return nil
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in pairs {
            guard let key = keyNode.scalar?.string else {
                error(at: keyNode, "a key in \(what) must be a plain word, found \(Self.kind(of: keyNode))")
                continue
            }
            guard allowed.contains(key) else {
                let hint = EditDistance.nearest(to: key, among: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                error(at: keyNode, "unknown key '\(key)' in \(what)\(hint); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            result[key] = value
        }
        for key in required where result[key] == nil {
            error(at: node, "\(what) is missing '\(key)'")
        }
        return result
    }

    mutating func sequence(_ node: Node, _ what: String) -> [Node]? {
        guard case .sequence(let items) = node else {
            error(at: node, "\(what) must be a list (items starting with '- '), found \(Self.kind(of: node))")
            return nil
        }
        return Array(items)
    }

    /// A scalar's text, which must not be blank or null.
    mutating func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(at: node, "\(what) must be a single value, found \(Self.kind(of: node))")
            return nil
        }
        guard scalar.string.contains(where: { !$0.isWhitespace }) else {
            error(at: node, "\(what) has no value")
            return nil
        }
        guard scalar.style != .plain || !["null", "Null", "NULL", "~"].contains(scalar.string) else {
            error(at: node, "\(what) is null; give it a value (quote it, '\(scalar.string)', if that is the value)")
            return nil
        }
        return scalar.string
    }

    /// Refuses every explicit YAML tag (`!!binary`, `!custom`): a scenario is plain text,
    /// lists and mappings, and a tag would be silently ignored.
    mutating func refuseTags(in node: Node) {
        let plain = [Tag.Name.str, .seq, .map].map(\.rawValue)
        if !plain.contains(node.tag.rawValue) {
            let name = node.tag.rawValue
            let shown = name.hasPrefix("tag:yaml.org,2002:") ? "!!" + name.dropFirst("tag:yaml.org,2002:".count) : name
            error(at: node, "YAML tags such as '\(shown)' are not supported in a scenario file; remove it")
        }
        switch node {
        case .mapping(let pairs):
            for (key, value) in pairs {
                refuseTags(in: key)
                refuseTags(in: value)
            }
        case .sequence(let items):
            items.forEach { refuseTags(in: $0) }
        case .scalar, .alias:
            break
        }
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        guard let text = string(node, what) else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            error(at: node, "\(what) must be true or false, found '\(text)'")
            return nil
        }
    }

    /// A DNS-1123 label, as Kubernetes requires of pod, container and volume names.
    mutating func name(_ node: Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        guard Self.isDNSLabel(text) else {
            error(at: node, "\(what) '\(text)' is not a valid name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit")
            return nil
        }
        return text
    }

    static func isDNSLabel(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...63).contains(bytes.count) else { return false }
        let allowed = { (b: UInt8) in (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 45 }
        return bytes.allSatisfy(allowed) && bytes.first != 45 && bytes.last != 45
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): "'\(scalar.string)'"
        case .alias: "an alias"
        }
    }
}
