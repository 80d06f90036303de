import Foundation
import PodbenchCore
import PodbenchProbeInterface
import PodbenchReport
import PodbenchSystem
import Synchronization

/// The live line of a run: on a terminal, what is running, how long it has run against its
/// timeout and how many scenarios are left, redrawn four times a second under the results'
/// lines; elsewhere (CI logs) a `running…` line per scenario, once.
final class ProgressLine: Sendable {
    /// What runs now.
    struct Running: Sendable {
        /// The scenarios running (several when waiting scenarios run together).
        var labels: [String]
        /// Their longest timeout, ns.
        var timeout: UInt64
        /// How many finished before them.
        var finished: Int
        var started: ContinuousClock.Instant
    }

    private let console: Console
    private let total: Int
    private let state = Mutex<Running?>(nil)
    /// The redrawing task, on a terminal only.
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    /// How often the line is redrawn on a terminal.
    static let interval = Duration.milliseconds(250)

    init(console: Console, total: Int) {
        self.console = console
        self.total = total
    }

    /// Shows that `labels` run since `started` (now), `finished` scenarios before them.
    func start(_ labels: [String], timeout: UInt64, finished: Int, since started: ContinuousClock.Instant = .now) {
        let running = Running(labels: labels, timeout: timeout, finished: finished, started: started)
        state.withLock { current in
            current = running
            console.transient(text(running, at: running.started))
        }
        guard console.isTerminal else { return }
        ticker.withLock { task in
            guard task == nil else { return }
            task = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.interval)
                    self?.redraw()
                }
            }
        }
    }

    /// Prints a result's line in place of the live line, which comes back under it.
    func print(_ line: String) {
        state.withLock { current in
            console.replaceTransient(with: line)
            if let current, console.isTerminal { console.transient(text(current, at: .now)) }
        }
    }

    /// Ends the live line (the run is over): it is cleared, not left half-drawn.
    func stop() {
        ticker.withLock { task in
            task?.cancel()
            task = nil
        }
        state.withLock { current in
            if current != nil, console.isTerminal { console.clearTransient() }
            current = nil
        }
    }

    private func redraw() {
        state.withLock { current in
            guard let current else { return }
            console.transient(text(current, at: .now))
        }
    }

    /// `[4/32] localhost-tcp 3.2s of 30s · 28 left`; on a terminal the names are cut to fit.
    func text(_ running: Running, at now: ContinuousClock.Instant) -> String {
        let first = running.finished + 1, last = running.finished + running.labels.count
        let position = first == last ? "[\(first)/\(total)]" : "[\(first)-\(last)/\(total)]"
        let left = total - running.finished - running.labels.count
        guard console.isTerminal else { return "\(position) \(ResultPrinter.shown(running.labels)) running…" }
        let elapsed = now - running.started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let tail = " \(String(format: "%.1fs", seconds)) of \(DurationText.format(nanoseconds: Double(running.timeout))) · \(left) left"
        return "\(position) \(ResultPrinter.shown(running.labels, width: Console.width - position.count - tail.count - 2))\(tail)"
    }
}
