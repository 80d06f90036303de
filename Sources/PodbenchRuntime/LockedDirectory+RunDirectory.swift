import Foundation
import PodbenchCore
import PodbenchSystem

/// A runtime's run directories: `podbench-KIND-LABEL-XXXXXX`, one per run of a scenario on a
/// runtime that labels what it makes.
extension LockedDirectory {
    /// Makes and locks the directory of one run of a scenario on a runtime that labels what it
    /// makes (podman, Kubernetes), named `podbench-KIND-LABEL-XXXXXX` after the run's label:
    /// while it is held, `podbench cleanup` leaves the pods and volumes of that label alone.
    static func makeRunDirectory(for kind: RuntimeKind, label: String, base: String) throws -> LockedDirectory {
        try make((base as NSString).appendingPathComponent(runDirectoryPrefix(kind) + label + "-XXXXXX"))
    }

    /// How the names of a runtime's run directories begin: `podbench-KIND-`.
    static func runDirectoryPrefix(_ kind: RuntimeKind) -> String {
        "podbench-\(kind.rawValue)-"
    }

    /// The run label in a run directory's name (`podbench-KIND-LABEL-XXXXXX`), or nil when the
    /// name is not one of `kind`'s.
    static func runLabel(ofDirectory name: String, kind: RuntimeKind) -> String? {
        let prefix = runDirectoryPrefix(kind)
        // mkdtemp puts six characters for the XXXXXX.
        guard name.hasPrefix(prefix), name.count > prefix.count + 7 else { return nil }
        return String(name.dropFirst(prefix.count).dropLast(7))
    }
}
