import Foundation
import PodbenchCore
import PodbenchSystem

/// Reads this machine's environment fingerprint from /proc and /sys.
public enum FingerprintCollector {
    /// The fingerprint of a run: the machines the runtime describes (a cluster's nodes), else
    /// this one. The pod limits are the runtime's container limits where it sets them, else
    /// those of the cgroup podbench runs in, which the local runtime's pods inherit.
    public static func collect(runtime: String, _ description: RuntimeDescription = RuntimeDescription()) -> Fingerprint {
        let machines = description.machines ?? RuntimeDescription.Machines(
            cpuModel: cpuModel, cpuCount: ProcessInfo.processInfo.activeProcessorCount, kernel: Podbench.kernel, cgroupVersion: cgroupVersion, names: "")
        return Fingerprint(
            cpuModel: machines.cpuModel, cpuCount: machines.cpuCount, kernel: machines.kernel,
            cgroupVersion: machines.cgroupVersion, runtime: runtime, runtimeVersion: description.version, runtimeClass: description.runtimeClass,
            podCPULimit: description.containerLimits?.cpu ?? cpuLimit ?? "unlimited",
            podMemoryLimit: description.containerLimits?.memory ?? memoryLimit ?? "unlimited", podbenchVersion: Podbench.version,
            nodes: description.machines?.names)
    }

    static var cpuModel: String {
        for line in (read("/proc/cpuinfo") ?? "").split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    /// `v2` on a unified hierarchy, `hybrid` when v1 controllers sit beside a v2 mount, else `v1`.
    static var cgroupVersion: String {
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") { return "v2" }
        return FileManager.default.fileExists(atPath: "/sys/fs/cgroup/unified") ? "hybrid" : "v1"
    }

    /// CPUs as a number (`1.5`), from `cpu.max` (v2) or the CFS quota (v1); nil when unlimited.
    static var cpuLimit: String? {
        let quota: Double?, period: Double?
        if let directory = cgroupDirectory(controller: nil) {
            let fields = (read(directory + "/cpu.max") ?? "").split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            (quota, period) = fields.count == 2 ? (fields[0], fields[1]) : (nil, nil)
        } else if let directory = cgroupDirectory(controller: "cpu") {
            (quota, period) = (number(directory + "/cpu.cfs_quota_us"), number(directory + "/cpu.cfs_period_us"))
        } else {
            return nil
        }
        guard let quota, let period, quota > 0, period > 0 else { return nil }
        return String(format: "%.3g", quota / period)
    }

    /// Memory in MiB from `memory.max` (v2) or `memory.limit_in_bytes` (v1); nil when unlimited.
    static var memoryLimit: String? {
        let bytes = cgroupDirectory(controller: nil).flatMap { number($0 + "/memory.max") }
            ?? cgroupDirectory(controller: "memory").flatMap { number($0 + "/memory.limit_in_bytes") }
        guard let bytes, bytes < 1e18 else { return nil }
        return "\(Int(bytes / 1_048_576)) MiB"
    }

    /// This process's cgroup directory for a v1 controller, or the v2 one for nil.
    static func cgroupDirectory(controller: String?) -> String? {
        for line in (read("/proc/self/cgroup") ?? "").split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if let controller, fields[1].split(separator: ",").contains(Substring(controller)) {
                return "/sys/fs/cgroup/\(controller)\(fields[2])"
            }
            if controller == nil, fields[0] == "0", FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") {
                return "/sys/fs/cgroup\(fields[2])"
            }
        }
        return nil
    }

    private static func number(_ path: String) -> Double? {
        read(path).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// A /proc or /sys file (their sizes read as 0, so FileManager would return nothing).
    private static func read(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return (try? handle.readToEnd()).map { String(decoding: $0, as: UTF8.self) }
    }
}
