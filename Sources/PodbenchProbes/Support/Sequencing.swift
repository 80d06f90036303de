/// Lets a scenario order its measurements: a client starts `after` a file appears (a capture's
/// ready file, or another client's `done` file) and creates its own `done` file when it is
/// through, so that two measurements in one pod do not compete for the CPUs.
struct Sequencing {
    static let after = ParameterSpec("after", .path, default: "", "a file to wait for before starting, inside a volume mount")
    static let done = ParameterSpec("done", .path, default: "", "a file to create when finished, inside a volume mount")

    let after: String
    let done: String

    init(_ arguments: ProbeArguments) {
        after = arguments.string("after")
        done = arguments.string("done")
    }

    /// Waits for `after`; false when it did not appear within `timeout`.
    func waitForTurn(timeout: UInt64) -> Bool {
        after.isEmpty || waitFor(timeout: timeout, { access(after, F_OK) == 0 ? true : nil }) != nil
    }

    /// Creates `done`, if asked.
    func finished() {
        guard !done.isEmpty else { return }
        let fd = open(done, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        if fd >= 0 { close(fd) }
    }
}

import Glibc
