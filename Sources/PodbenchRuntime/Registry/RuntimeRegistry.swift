import PodbenchCore

/// Every runtime podbench runs pods on: a line each.
public enum RuntimeRegistry {
    public static let all: [any RegisteredRuntime.Type] = [
        LocalRuntime.self,
        HostRuntime.self,
        PodmanRuntime.self,
        KubernetesRuntime.self,
        CRIRuntime.self,
    ]

    /// The runtime `kind` names.
    public static func registered(_ kind: RuntimeKind) -> any RegisteredRuntime.Type {
        guard let found = all.first(where: { $0.kind == kind }) else { preconditionFailure("\(kind) is not registered in RuntimeRegistry.all") }
        return found
    }

    /// The runtimes a run on `kind` uses, one per variant.
    public static func forRun(_ kind: RuntimeKind, _ settings: RuntimeSettings) -> [any PodRuntime] {
        registered(kind).forRun(settings)
    }

    /// The runtimes whose leftovers `podbench cleanup` removes: the one named (`kind`), or,
    /// with nil (`--runtime all`), those of this machine it reaches.
    public static func forCleanup(_ kind: RuntimeKind?, _ settings: RuntimeSettings) -> [any PodRuntime] {
        let chosen = kind.map { [registered($0)] } ?? all.filter { $0.cleanedWithAll && $0.reachable(settings) }
        return chosen.compactMap { $0.forCleanup(settings) }
    }

    /// Why one of `flags`, given with `kind`, means nothing there (`--oci-runtime is for
    /// --runtime podman, not local.`); nil when each means something. A flag no runtime owns
    /// means something on all. With `cleanup`, nil for `kind` is `--runtime all`, which takes
    /// the flags of the runtimes it looks for.
    public static func misplaced(_ flags: [String], on kind: RuntimeKind?, cleanup: Bool = false) -> String? {
        for flag in flags {
            let owners = all.filter { $0.flags.contains(flag) }
            let cleanedWithAll = owners.contains { $0.cleanedWithAll }
            let meant = kind.map { kind in owners.contains { $0.kind == kind } } ?? cleanedWithAll
            guard !owners.isEmpty, !meant else { continue }
            var names = owners.map { $0.kind }.sorted().map(\.rawValue)
            if cleanup, cleanedWithAll { names.append("all") }
            let listed = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1] : names.joined()
            return "\(flag) is for --runtime \(listed), not \(kind?.rawValue ?? "all")."
        }
        return nil
    }

    /// The kinds whose runs hold run directories.
    static var runDirectoryKinds: [RuntimeKind] {
        all.filter { $0.holdsRunDirectories }.map { $0.kind }
    }
}
