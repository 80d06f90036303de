import PodbenchProbeInterface

/// What both ends of the System V pair agree on, as their `SysVQueueParameters` say.
struct SysVPair {
    let key: Int
    let count: Int
    let size: Int
    let wait: UInt64

    init(_ arguments: ProbeArguments) {
        key = arguments[SysVQueueParameters.key]
        count = arguments[SysVQueueParameters.count]
        size = arguments[SysVQueueParameters.size]
        wait = arguments[SysVQueueParameters.wait]
    }

    /// The key as `ipcs` shows it.
    var keyText: String { ipcKey(key) }
}
