import PodbenchCore
import PodbenchSystem

/// The life of one scenario's pods on an engine that runs real pods (podman, Kubernetes): a
/// locked run directory that tells `podbench cleanup` the run is going, an emergency action
/// for a second Ctrl-C, and removal of the pods on every path (success, failure, timeout,
/// cancellation). Each runtime brings only what differs: how its pods are made, followed and
/// removed.
struct PodLifecycle {
    let kind: RuntimeKind
    /// The run's label, in the run directory's name and on every pod.
    let runLabel: String
    /// Where run directories are made.
    let base: String
    /// What a second Ctrl-C says: how the pods it had no time to remove can still be removed.
    let leftovers: String

    /// Makes the run directory, then `prepare`s in it what the run needs and how its pods are
    /// removed, then runs `body`. The removal runs whatever `body` did, in a detached task so
    /// that a cancelled run still removes its pods; a cancelled run ends as "interrupted".
    func run<Context, Result>(
        prepare: (LockedDirectory) throws(RuntimeError) -> (context: Context, remove: @Sendable () async -> Void),
        _ body: (Context) async throws(RuntimeError) -> Result
    ) async throws(RuntimeError) -> Result {
        let directory: LockedDirectory
        do {
            directory = try LockedDirectory.makeRunDirectory(for: kind, label: runLabel, base: base)
        } catch {
            throw RuntimeError("cannot prepare the run directory under \(base)", cause: "\(error)")
        }
        defer { directory.remove() }
        let token = EmergencyCleanup.register { [leftovers] in
            // A second Ctrl-C: no time to wait for the engine; the pods go by label.
            directory.remove()
            EmergencyCleanup.say(leftovers)
        }
        defer { EmergencyCleanup.unregister(token) }
        let (context, remove) = try prepare(directory)
        do {
            let result = try await body(context)
            await Task.detached(operation: remove).value
            return result
        } catch {
            await Task.detached(operation: remove).value
            if Task.isCancelled { throw RuntimeError("interrupted") }
            throw error
        }
    }
}
