import CPodbench
import PodbenchProbeInterface

/// The `podbench-probe` command line:
///
///     podbench-probe [--deadline D] ROLE [--NAME VALUE]...
///     podbench-probe container --pod PID|- [--share-pid] [--pid-from PID] --rootfs DIR [--bind|--ro-bind SRC DST]... -- [--deadline D] ROLE ...
///     podbench-probe pod-infra --hostname NAME [--userns] [--share-pid] [--tmpfs DIR]...
///     podbench-probe roles
///
/// `container` and `pod-infra` are the local runtime's: the namespace set-up happens in a C
/// constructor before main (see CPodbenchSandbox/sandbox.c), which says so through
/// `sandboxed`; here they only run the role, or hold the pod's namespaces until standard input
/// closes.
public enum ProbeMain {
    /// Exit statuses: 0 every check passed, 1 a check failed, 2 bad arguments, 3 a system
    /// call failed, 124 the deadline passed, 125 the sandbox set-up failed. `began` is when the
    /// program began (CLOCK_REALTIME ns), its `started` time, as a container runtime's
    /// `startedAt` is its process's start.
    public static func run(_ arguments: [String], sandboxed: Bool, began: UInt64 = realtimeNanoseconds()) -> Int32 {
        var words = Array(arguments.dropFirst())
        if ["pod-infra", "container"].contains(words.first), !sandboxed {
            return usage("\(words[0]) needs the sandbox set-up, which this build of podbench-probe lacks")
        }
        switch words.first {
        case "pod-infra":
            return holdPod()
        case "container":
            guard let separator = words.firstIndex(of: "--") else {
                return usage("container: expected '-- ROLE ...' after the sandbox options")
            }
            words = Array(words[(separator + 1)...])
        case "roles":
            printRoles()
            return 0
        case nil, "-h", "--help", "help":
            print(help)
            return 0
        default:
            break
        }
        var deadline: UInt64 = 300_000_000_000
        if words.first == "--deadline" {
            guard words.count >= 2, let value = DurationText.nanoseconds(words[1]), value >= 1_000_000_000 else {
                return usage("--deadline needs a duration of at least 1s")
            }
            deadline = value
            words.removeFirst(2)
        }
        guard let role = words.first else { return usage("no role given") }
        guard let probeType = ProbeTypes.type(role: role) else {
            return usage("unknown role '\(role)'; known roles: " + ProbeCatalog.specs.map(\.role).joined(separator: ", "))
        }
        return run(probeType, Array(words.dropFirst()), deadline: deadline, began: began)
    }

    private static func run(_ probeType: any Probe.Type, _ words: [String], deadline: UInt64, began: UInt64) -> Int32 {
        let output = ProbeOutput()
        // Sleeps between polls end when asked, not up to 50us later (the default timer slack),
        // so polling latencies measure the channel.
        _ = podbench_set_timer_slack(1)
        output.emit(.started(at: began, identity: .current()))
        var pinning: CPUPinning?
        do {
            let arguments = try ProbeArguments(spec: probeType.spec, commandLine: words)
            if probeType.spec.isPlaced { pinning = CPUPinning(arguments[Placement.parameter], side: arguments[Placement.side]) }
            let probe = try probeType.init(arguments)
            let seconds = UInt32(min(deadline / 1_000_000_000, UInt64(UInt32.max)))
            let total = UInt64(seconds) * 1_000_000_000
            output.deadline = monotonicNanoseconds() &+ total
            output.deadlineMargin = min(max(1_000_000_000, total / 10), total / 2)
            output.onDeadline(.error("\(probeType.spec.role) passed its deadline of \(seconds)s, the scenario's timeout"))
            try probe.run(output)
        } catch .usage(let message) {
            return usage(message)
        } catch {
            if case .reported = error {} else { output.error(error.description) }
            output.emit(.finished(at: realtimeNanoseconds(), cpu: pinning?.finished()))
            return 3
        }
        output.emit(.finished(at: realtimeNanoseconds(), cpu: pinning?.finished()))
        return output.anyCheckFailed ? 1 : 0
    }

    /// The pod's infrastructure process: the namespaces exist as long as it lives, and it
    /// lives until podbench closes its standard input (also when podbench dies). The sandbox
    /// set-up has said `ready`.
    private static func holdPod() -> Int32 {
        var byte: UInt8 = 0
        while read(0, &byte, 1) > 0 {}
        return 0
    }

    private static func usage(_ message: String) -> Int32 {
        var text = "podbench-probe: \(message)\n"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        return 2
    }

    private static func printRoles() {
        for spec in ProbeCatalog.specs {
            print("\(spec.role): \(spec.summary)")
            for parameter in spec.parameters {
                let fallback = parameter.defaultValue.map { " (default \($0))" } ?? (parameter.isRequired ? " (required)" : "")
                print("    --\(parameter.name): \(parameter.summary)\(fallback)")
            }
            print("    checks: \(spec.checks.map(\.text).joined(separator: ", "))")
            let metrics = spec.metrics + spec.throughputs
            if !metrics.isEmpty { print("    metrics: \(metrics.map(\.text).joined(separator: ", "))") }
        }
    }

    static let help = """
        USAGE: podbench-probe [--deadline D] ROLE [--NAME VALUE]...
               podbench-probe roles

        Runs one probe role inside a container of a pod and prints its log and its result
        records (JSON lines) on standard output. 'roles' lists the roles and their parameters.
        """
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
