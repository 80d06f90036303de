import Foundation
import Synchronization

/// Clean-up that must happen even when podbench is made to stop at once (a second Ctrl-C),
/// when the orderly tear-down of a run has no time to finish.
public enum EmergencyCleanup {
    private static let actions = Mutex<(next: Int, pending: [Int: @Sendable () -> Void])>((0, [:]))

    /// Registers `action` until `unregister` is called with the returned token.
    public static func register(_ action: @escaping @Sendable () -> Void) -> Int {
        actions.withLock { state in
            state.next += 1
            state.pending[state.next] = action
            return state.next
        }
    }

    public static func unregister(_ token: Int) {
        _ = actions.withLock { $0.pending.removeValue(forKey: token) }
    }

    /// Runs (once) every action still registered, the latest first, as `defer` would: a
    /// scenario's pods go before the run that holds them is recorded as interrupted.
    public static func runAll() {
        let pending = actions.withLock { state in
            defer { state.pending = [:] }
            return state.pending.sorted { $0.key > $1.key }.map(\.value)
        }
        pending.forEach { $0() }
    }

    /// Tells the user on standard error what was left undone (`podbench: MESSAGE`).
    public static func say(_ message: String) {
        StandardStreams.error("podbench: \(message)\n")
    }
}
