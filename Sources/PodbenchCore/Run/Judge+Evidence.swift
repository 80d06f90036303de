import PodbenchProbeInterface

/// Evidence before questions: a channel's failure is told with what the namespace identities
/// proved of the sharing it goes through.
extension Judge {
    /// `message`, a failure of a channel between a pod's containers, with what is known of the
    /// sharing it goes `through`: proven (then the sharing is not the cause, and never asked
    /// about), disproven, or not known here, and why.
    static func reasoned(_ message: String, through: SharedThrough, namespaces: [CheckResult]) -> String {
        let label: String
        switch through {
        case .ipc: label = "IPC"
        case .net: label = "network"
        case .devShm, .volume:
            let mount = through == .devShm ? "/dev/shm" : "the volume"
            return message + ": is \(mount) one for the pod's containers? It is a mount, which has no identity podbench compares, so the channel's own checks decide"
        }
        let name = "namespace.\(through.rawValue)"
        guard let check = namespaces.first(where: { $0.name == name }) else { return message }
        switch check.outcome {
        case .pass: return message + "; the pod's \(label) namespace is shared (\(name): one identity for its containers), so the sharing is not the cause"
        case .fail: return message + "; the pod's \(label) namespace is not shared (\(name) failed)"
        case .skip, .inconclusive: return message + ": is the pod's \(label) namespace shared? Its identity cannot tell here (\(check.message))"
        }
    }
}
