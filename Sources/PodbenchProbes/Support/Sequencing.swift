import PodbenchProbeInterface

/// Lets a scenario order its measurements: a client starts `after` a file appears (a capture's
/// ready file, or another client's `done` file) and creates its own `done` file when it is
/// through, so that two measurements in one pod do not compete for the CPUs.
struct Sequencing {

    let after: String?
    let done: String?

    /// Reads `after` and `done`; one the probe does not declare is nil.
    init(_ arguments: ProbeArguments) {
        after = arguments[SequencingParameters.after]
        done = arguments[SequencingParameters.done]
    }

    /// Waits for `after` (polling slowly: the measurement under way has the CPUs) for half of
    /// `wait`. The turn only keeps measurements apart; when it does not come (the volume that
    /// carries it is not shared) the probe measures anyway, within the peer's `wait`, so that
    /// its channel is judged on its own and not blamed for the volume.
    func waitForTurn(wait: UInt64, _ output: ProbeOutput) {
        guard let after, !waitForFile(after, timeout: wait / 2, every: 20_000_000) else { return }
        output.log("\(after) did not appear within \(DurationText.format(nanoseconds: Double(wait / 2))): measuring anyway (the measurements may overlap)")
    }

    /// Creates `done`, if asked.
    func finished() {
        if let done { touch(done) }
    }
}

import Glibc
