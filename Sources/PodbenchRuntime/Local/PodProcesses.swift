import CPodbench
import Foundation
import PodbenchCore
import PodbenchProbeInterface
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The processes of a scenario's pods. Kills the containers still running when the scenario's
/// time is up, through process file descriptors taken while they run, so that a pid reused
/// after a container ended is never signalled; and kills everything when podbench must stop
/// at once. Releases the containers that only stay for others (SIGUSR1) once nobody needs
/// them: every container has started and every other one has ended.
final class PodProcesses: Sendable {
    private struct State {
        var running: [Int32: Int32] = [:]
        /// The processes killed, with what they were doing then when it was not running
        /// (`stall(of:)`).
        var killed: [Int32: String?] = [:]
        var fired = false
        /// The containers of `runEach`, in its order, for the release.
        var members: [Member] = []
        var released = false
    }

    private struct Member {
        var staysForOthers: Bool
        var pid: Int32?
        var started = false
        var ended = false
    }

    private let state = Mutex(State())

    /// Starts watching a pod process; containers are killed at the timeout, the pod's
    /// infrastructure only by `killAll`.
    func watch(_ pid: Int32) {
        let pidfd = podbench_pidfd_open(pid)
        guard pidfd >= 0 else { return } // Already gone.
        state.withLock { state in
            state.running[pid] = pidfd
            if state.fired { Self.kill(pid, &state) }
        }
    }

    /// Forgets a finished process; returns whether it was killed, and if so why it had not
    /// ended (it was stopped), where it was not simply running.
    func release(_ pid: Int32) -> (killed: Bool, stall: String?) {
        state.withLock { state in
            if let pidfd = state.running.removeValue(forKey: pid) { close(pidfd) }
            guard let stall = state.killed.removeValue(forKey: pid) else { return (false, nil) }
            return (true, stall)
        }
    }

    /// Kills one process (a pod's infrastructure that does not come up or go); what it was
    /// doing when it was killed, where it was not simply running (`stall(of:)`).
    @discardableResult
    func kill(_ pid: Int32) -> String? {
        state.withLock { state in
            Self.kill(pid, &state)
            return state.killed[pid] ?? nil
        }
    }

    /// Kills every process still running; with `waiting`, waits up to that long for them to
    /// be gone (a removal of the pod directory that follows then races no process).
    func killAll(waiting: Duration = .zero) {
        state.withLock { state in
            state.fired = true
            for pid in state.running.keys { Self.kill(pid, &state) }
            guard waiting > .zero else { return }
            // A process's pidfd becomes readable when it ends.
            var pending = state.running.values.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let deadline = ContinuousClock.now + waiting
            while !pending.isEmpty, ContinuousClock.now < deadline {
                guard poll(&pending, nfds_t(pending.count), 50) >= 0 || errno == EINTR else { return }
                pending.removeAll { $0.revents != 0 }
            }
        }
    }

    /// Notes what a container did, and releases those that stay for others once nobody needs
    /// them any more.
    private func update(_ member: Int, _ change: (inout Member) -> Void) {
        state.withLock { state in
            change(&state.members[member])
            let members = state.members
            guard !state.released, members.allSatisfy({ $0.started || $0.ended }), members.allSatisfy({ $0.staysForOthers || $0.ended }) else { return }
            state.released = true
            for member in members where member.staysForOthers && !member.ended {
                if let pid = member.pid, let pidfd = state.running[pid] { _ = podbench_pidfd_kill(pidfd, SIGUSR1) }
            }
        }
    }

    private static func kill(_ pid: Int32, _ state: inout State) {
        guard let pidfd = state.running[pid], state.killed[pid] == nil else { return }
        state.killed.updateValue(stall(of: pid), forKey: pid)
        _ = podbench_pidfd_kill(pidfd, SIGKILL)
    }

    /// Why a process that should have ended had not, from the state in /proc of it or of a
    /// process it started (a container's probe runs in a child, in the container's own PID
    /// namespace): stopped by a signal or a debugger, or in an uninterruptible wait; nil when
    /// they were running or waiting as usual (then it simply took longer than its time).
    static func stall(of pid: Int32, depth: Int = 0) -> String? {
        // The state is the first field after the command name, which is in parentheses and may
        // hold anything.
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")"),
           let state = stat[stat.index(after: close)...].split(separator: " ").first {
            switch state {
            case "T": return "stopped by a signal (SIGSTOP or SIGTSTP)"
            case "t": return "stopped by a debugger"
            case "D": return "in an uninterruptible wait (state D: a stuck file system or device)"
            default: break
            }
        }
        guard depth < 2, let children = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return nil }
        return children.split(separator: " ").compactMap { Int32($0) }.lazy.compactMap { stall(of: $0, depth: depth + 1) }.first
    }
}

extension PodProcesses {
    /// A process to run: the container it is, and its executable's arguments.
    struct Launch: Sendable {
        var pod: String
        var container: String
        var arguments: [String]
        /// Its role only stays for others (`ProbeSpec.staysForOthers`).
        var staysForOthers: Bool
        /// The line written to its standard input once set (nil: none), which is then closed.
        var input: OneShot<String?>?

        init(pod: String, container: ContainerSpec, arguments: [String], input: OneShot<String?>? = nil) {
            self.pod = pod
            self.container = container.name
            self.arguments = arguments
            self.input = input
            staysForOthers = ProbeCatalog.spec(role: container.probe)?.staysForOthers ?? false
        }
    }

    /// Runs every launch at once, each in a process group of its own (as a container engine's
    /// are, so that a Ctrl-C at the terminal reaches podbench, which then tears the pod down in
    /// order); kills those still running `limit` after every launch was spawned and had its
    /// input set; their outcomes, by pod and container.
    func runEach(_ launches: [Launch], executable: String, environment: Environment = .inherit, killingAfter limit: Duration) async throws -> [ContainerOutcome] {
        state.withLock { $0.members = launches.map { Member(staysForOthers: $0.staysForOthers) } }
        let spawned = launches.map { _ in OneShot<Void>() }
        return try await withThrowingTaskGroup(of: ContainerOutcome?.self) { group in
            for (member, launch) in launches.enumerated() {
                group.addTask {
                    defer { spawned[member].set(()) }
                    return try await self.run(launch, member, executable: executable, environment: environment, spawned: spawned[member])
                }
            }
            group.addTask {
                // The time counts once every pod is ready and every container spawned: a pod's
                // own start is not its containers' time (on a loaded machine it can take seconds).
                for (launch, spawned) in zip(launches, spawned) {
                    _ = await launch.input?.value
                    await spawned.value
                }
                try await Task.sleep(for: limit)
                self.killAll()
                return nil
            }
            var outcomes: [ContainerOutcome] = []
            while outcomes.count < launches.count, let next = try await group.next() {
                if let outcome = next { outcomes.append(outcome) }
            }
            group.cancelAll()
            return outcomes.sorted { ($0.pod, $0.container) < ($1.pod, $1.container) }
        }
    }

    /// At most this much of a container's standard output is kept.
    private static let outputLimit = 64 * 1024 * 1024

    private func run(_ launch: Launch, _ member: Int, executable: String, environment: Environment, spawned: OneShot<Void>) async throws -> ContainerOutcome {
        var options = PlatformOptions()
        options.processGroupID = 0
        defer { update(member) { $0.ended = true } }
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(launch.arguments), environment: environment, platformOptions: options,
            input: .inputWriter, output: .sequence, error: .string(limit: 1024 * 1024)
        ) { execution in
            let pid = execution.processIdentifier.value
            spawned.set(())
            self.watch(pid)
            self.update(member) { $0.pid = pid }
            // A process that is gone cannot be written to: what it said is read below.
            if let line = await launch.input?.value { _ = try? await execution.standardInputWriter.write(line + "\n") }
            try? await execution.standardInputWriter.finish()
            // The first line is the probe's `started` record.
            var output: [UInt8] = []
            var started = false
            for try await buffer in execution.standardOutput {
                buffer.withUnsafeBytes { bytes in
                    if output.count < Self.outputLimit { output.append(contentsOf: bytes.prefix(Self.outputLimit - output.count)) }
                }
                if !started, output.contains(UInt8(ascii: "\n")) {
                    started = true
                    self.update(member) { $0.started = true }
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
        let (killed, stall) = release(result.processIdentifier.value)
        let ending: ContainerOutcome.Ending = switch result.terminationStatus {
        case .exited(let code): .exited(code)
        case .signaled(let signal): killed ? .timedOut : .signaled(signal)
        }
        var outcome = ContainerOutcome(pod: launch.pod, container: launch.container, ending: ending, standardOutput: result.closureResult,
                                       standardError: result.standardError, endedAt: realtimeNanoseconds())
        if ending == .timedOut { outcome.stall = stall }
        return outcome
    }
}
