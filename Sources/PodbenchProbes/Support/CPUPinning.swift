import CPodbench
import PodbenchProbeInterface

/// Pins a probe that takes part in a measurement between containers as its placement says,
/// before it runs, and tells at its end which CPUs it ran on and how often it was preempted.
struct CPUPinning {
    private var use: CPUUse
    private let switchesBefore: Int
    private let migrationsBefore: Int?

    /// Pins the calling thread (the probe's only one, so every thread it starts too).
    init(_ placement: Placement, side: Int) {
        var buffer = [Int32](repeating: 0, count: 1024)
        let count = podbench_allowed_cpus(&buffer, Int32(buffer.count))
        let allowed = buffer.prefix(Int(max(count, 0))).map(Int.init)
        var pinned: Int?, unpinned: String?
        if count < 0 {
            unpinned = "sched_getaffinity failed: \(errnoText(errno))"
        } else {
            switch CPUUse.cpu(for: placement, side: side, allowed: allowed) {
            case .success(nil):
                break
            case .success(let cpu?):
                if podbench_pin_to_cpu(Int32(cpu)) == 0 {
                    pinned = cpu
                } else {
                    unpinned = "sched_setaffinity to CPU \(cpu) failed: \(errnoText(errno))"
                }
            case .failure(let why):
                unpinned = why.reason
            }
        }
        use = CPUUse(asked: placement, side: side, pinned: pinned, unpinned: unpinned, allowed: allowed,
                     ran: [Int(podbench_current_cpu())], migrations: nil, involuntarySwitches: 0)
        switchesBefore = Self.involuntarySwitches()
        migrationsBefore = Self.migrations()
    }

    /// What the probe's run came to, for its `finished` record.
    func finished() -> CPUUse {
        var use = self.use
        let cpu = Int(podbench_current_cpu())
        if !use.ran.contains(cpu) { use.ran.append(cpu) }
        use.involuntarySwitches = Self.involuntarySwitches() - switchesBefore
        if let before = migrationsBefore, let now = Self.migrations() { use.migrations = now - before }
        return use
    }

    /// The calling thread's involuntary context switches so far.
    private static func involuntarySwitches() -> Int {
        max(podbench_involuntary_switches(), 0)
    }

    /// The calling thread's migrations between CPUs so far, where the kernel counts them
    /// (`/proc/thread-self/sched`, not under gVisor).
    private static func migrations() -> Int? {
        guard let text = contents(of: "/proc/thread-self/sched") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("se.nr_migrations") {
            return line.split(separator: ":").last.flatMap { Int($0.filter { $0 != " " }) }
        }
        return nil
    }
}

import Glibc
