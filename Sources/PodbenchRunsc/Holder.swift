import Foundation

/// A container's holder (`podbench-runsc --podbench-hold ID -- GLOBAL...`): the process the
/// monitor takes for the container, see `RunscAdapter`.
public enum Holder {
    /// How long a created container may wait to be started or deleted.
    static let patience: Duration = .seconds(3600)

    /// Waits until the container started (then for its end: its status) or was deleted (137).
    public static func run(id: String, global: [String], adapter: RunscAdapter) -> Int32 {
        guard let marks = HolderState(directory: adapter.state, id: id) else { return 2 }
        defer { marks.removeAll() }
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        while !marks.has(.started) {
            if marks.has(.deleted) || clock.now > deadline { return 137 }
            usleep(5_000)
        }
        // `start` has taken copies of the streams: the holder's go, so that the container's
        // end alone closes them.
        let null = open("/dev/null", O_RDWR)
        for stream: Int32 in 0...2 { dup2(null, stream) }
        close(null)
        var waiting = adapter
        waiting.line = OCICommandLine(global: global, command: nil, arguments: [])
        guard let (_, output) = try? Spawn.output(waiting.runscCommand(["wait", id])),
              let result = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
              let status = result["exitStatus"] as? Int
        else { return 255 }
        return Int32(status & 0xff)
    }
}
