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
        var killed: Set<Int32> = []
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

    /// Forgets a finished process; returns whether it was killed.
    func release(_ pid: Int32) -> Bool {
        state.withLock { state in
            if let pidfd = state.running.removeValue(forKey: pid) { close(pidfd) }
            return state.killed.remove(pid) != nil
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
        guard let pidfd = state.running[pid] else { return }
        state.killed.insert(pid)
        _ = podbench_pidfd_kill(pidfd, SIGKILL)
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
    func runEach(_ launches: [Launch], executable: String, killingAfter limit: Duration) async throws -> [ContainerOutcome] {
        state.withLock { $0.members = launches.map { Member(staysForOthers: $0.staysForOthers) } }
        let spawned = launches.map { _ in OneShot<Void>() }
        return try await withThrowingTaskGroup(of: ContainerOutcome?.self) { group in
            for (member, launch) in launches.enumerated() {
                group.addTask {
                    defer { spawned[member].set(()) }
                    return try await self.run(launch, member, executable: executable, spawned: spawned[member])
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

    private func run(_ launch: Launch, _ member: Int, executable: String, spawned: OneShot<Void>) async throws -> ContainerOutcome {
        var options = PlatformOptions()
        options.processGroupID = 0
        defer { update(member) { $0.ended = true } }
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(launch.arguments), platformOptions: options,
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
        let killed = release(result.processIdentifier.value)
        let ending: ContainerOutcome.Ending = switch result.terminationStatus {
        case .exited(let code): .exited(code)
        case .signaled(let signal): killed ? .timedOut : .signaled(signal)
        }
        return ContainerOutcome(pod: launch.pod, container: launch.container, ending: ending, standardOutput: result.closureResult,
                                standardError: result.standardError, endedAt: realtimeNanoseconds())
    }
}
