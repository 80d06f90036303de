/// Lets a scenario order its measurements: a client starts `after` a file appears (a capture's
/// ready file, or another client's `done` file) and creates its own `done` file when it is
/// through, so that two measurements in one pod do not compete for the CPUs.
struct Sequencing {
    static let after = ParameterSpec("after", .path, default: "", "a file to wait for before starting, inside a volume mount")
    static let done = ParameterSpec("done", .path, default: "", "a file to create when finished, inside a volume mount")

    let after: String
    let done: String

    /// Reads whichever of `after` and `done` the probe declares.
    init(_ arguments: ProbeArguments) {
        after = arguments.spec.parameter(named: "after") != nil ? arguments.string("after") : ""
        done = arguments.spec.parameter(named: "done") != nil ? arguments.string("done") : ""
    }

    /// Waits for `after` (polling slowly: the measurement under way has the CPUs); false when
    /// it did not appear within `timeout`.
    func waitForTurn(timeout: UInt64) -> Bool {
        after.isEmpty || waitForFile(after, timeout: timeout, every: 20_000_000)
    }

    /// Creates `done`, if asked.
    func finished() {
        if !done.isEmpty { touch(done) }
    }
}

import Glibc
