import CPodbench
import Foundation
import PodbenchCRI
import PodbenchCore

extension CRIRuntime {
    /// Releases the containers that only stay for others (`ProbeSpec.staysForOthers`) once every
    /// other container has exited, as the local and podman runtimes do: SIGUSR1, which the
    /// probes read from a signalfd. The CRI has no call that signals a container, so podbench
    /// signals the container's process, which containerd names (ContainerStatus, verbose),
    /// through a pidfd taken while containerd still says it runs: the signal cannot reach a
    /// process that took the number since. Only the probe itself is signalled: where the runtime
    /// names another process (gVisor's sandbox, its adapter's holder), the holder waits out its
    /// own bounded wait instead.
    func releaseWhenUnneeded(_ holders: [String], others: [String], label: String, within limit: Duration) async throws {
        guard !holders.isEmpty, try await follow(others, label: label, within: limit).count == others.count else { return }
        for holder in holders {
            try Task.checkCancellation()
            try await endpoint.connect { cri in
                let before = try await cri.runtime.containerStatus(.with { $0.containerID = holder; $0.verbose = true })
                guard before.status.state == .containerRunning, let pid = Self.pid(in: before.info["info"]), Self.isProbe(pid) else { return }
                let process = podbench_pidfd_open(pid)
                guard process >= 0 else { return }
                defer { close(process) }
                // Still the container's process: it runs, and the pidfd holds its identity.
                guard try await cri.runtime.containerStatus(.with { $0.containerID = holder }).status.state == .containerRunning else { return }
                _ = podbench_pidfd_kill(process, SIGUSR1)
            }
        }
    }

    /// The pid in containerd's verbose container info (JSON, `pid`).
    static func pid(in info: String?) -> pid_t? {
        guard let data = info?.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let pid = object["pid"] as? Int, pid > 1 else { return nil }
        return pid_t(pid)
    }

    /// Whether the process runs the probe's executable (not a sandbox's or an adapter's).
    static func isProbe(_ pid: pid_t) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")).map { ($0 as NSString).lastPathComponent == "podbench-probe" } ?? false
    }
}
