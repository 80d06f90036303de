import PodbenchCore
import PodbenchStore
import PodbenchSystem
import Synchronization

/// A run as the store keeps it: begun with its fingerprint under a `RunLock` beside the
/// database, each scenario's result saved as it finishes, finished with its status. Whatever
/// ends it, a second Ctrl-C included, leaves it recorded and the lock gone.
final class RunRecorder: Sendable {
    let store: ResultStore
    let runId: Int64
    private let lock: RunLock?
    private let token: Int

    /// Takes the lock (when there is a database file) and begins the run.
    init(store: ResultStore, runtime: String, host: String, fingerprint: Fingerprint, repetitions: Int, database: String?) throws {
        let lock = database.flatMap { RunLock(database: $0) }
        let started = Mutex<Int64?>(nil)
        // A second Ctrl-C ends podbench at once: the run is recorded as interrupted on the way.
        token = EmergencyCleanup.register {
            if let runId = started.withLock({ $0 }) { try? store.finishRun(runId, status: .interrupted, exitStatus: SignalForwarder.received.map { 128 + $0 }) }
            lock?.release()
        }
        let runId: Int64
        do {
            runId = try store.beginRun(runtime: runtime, host: host, fingerprint: fingerprint, repetitions: repetitions, lock: lock?.path)
        } catch {
            EmergencyCleanup.unregister(token)
            lock?.release()
            throw error
        }
        started.withLock { $0 = runId }
        self.runId = runId
        self.store = store
        self.lock = lock
    }

    /// Saves a scenario's result; a store that fails ends the run as an error.
    func save(_ result: ScenarioResult) throws {
        do {
            try store.save(result, runId: runId)
        } catch {
            try? store.finishRun(runId, status: .error, exitStatus: ExitStatus.infrastructure.rawValue)
            throw StoreError.failed(error)
        }
    }

    /// Records how the run ended.
    func finish(_ status: RunStatus, exitStatus: Int32) throws {
        try store.finishRun(runId, status: status, exitStatus: exitStatus)
    }

    deinit {
        EmergencyCleanup.unregister(token)
        lock?.release()
    }
}
