import CPodbench

/// The pod's loopback interface: where it is down, nothing reaches 127.0.0.1 or ::1, and a
/// connect may wait for an answer that never comes. Probes say so at once instead.
enum Loopback {
    /// Why the loopback carries nothing, if it is down; nil when it is up or cannot be read.
    static func down() -> String? {
        let flags = podbench_interface_flags("lo")
        guard flags >= 0, flags & 1 == 0 else { return nil }
        return "the pod's loopback interface lo is down (SIOCGIFFLAGS: no IFF_UP), so nothing reaches 127.0.0.1 or ::1"
    }
}
