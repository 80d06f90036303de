import CPodbench
import Foundation

/// runsc (gVisor) for runc-style monitors, with a pod's containers in one sandbox: what gVisor's
/// own containerd shim does, which Debian does not ship, for containerd's runc shim and podman's
/// conmon. The sandbox's semantics stay gVisor's; only start-up and exit reporting change:
///
/// - runsc puts a pod's app containers into the sandbox of its pause container (it reads the
///   CRI's container-type annotations), but `runsc create` writes the sandbox's pid to the pid
///   file, so the monitor would see its container exit at once. Here `create` starts a holder
///   process, a child of the monitor's (its subreaper), whose pid goes to the pid file; it keeps
///   the standard streams the monitor gave, runs `runsc wait` once the container started, and
///   exits with the container's status.
/// - `runsc start` gives a subcontainer its own standard streams: here it gets the holder's
///   (pidfd_getfd), so that the container's output reaches the monitor.
/// - runsc 20221219 refuses a network namespace on kernels from 6.0 (gVisor issue 10704): every
///   call gets `--network=host`, the sandbox using the pod's namespace through the host's stack.
/// - gVisor's pod mount hints (`dev.gvisor.spec.mount.NAME.{source,type}` annotations) turn a
///   subcontainer's bind mount of the hinted source into a mount of the hinted type.
public struct RunscAdapter {
    public var runsc: String
    /// Where holders and commands leave their marks.
    public var state: String
    /// This executable, started again as a holder.
    public var executable: String
    public var line: OCICommandLine

    /// The option that makes this executable a holder: `--podbench-hold ID -- GLOBAL...`.
    public static let holdOption = "--podbench-hold"

    public init(arguments: [String], environment: [String: String], executable: String) {
        runsc = environment["PODBENCH_RUNSC"] ?? "/usr/bin/runsc"
        state = environment["PODBENCH_RUNSC_STATE"] ?? "/run/podbench-runsc"
        self.executable = executable
        line = OCICommandLine(arguments)
    }

    /// runsc with the adapter's flags, the monitor's global flags, then `arguments`.
    func runscCommand(_ arguments: [String]) -> [String] {
        [runsc, "--network=host"] + line.global + arguments
    }

    /// Carries out the command; the status to exit with.
    public func run() -> Int32 {
        let passThrough = runscCommand(line.command.map { [$0] + line.arguments } ?? [])
        guard let command = line.command, let id = line.containerID, let marks = HolderState(directory: state, id: id) else {
            return Spawn.replace(with: passThrough)
        }
        do {
            switch command {
            case "create": return try create(marks)
            case "start" where marks.has(.holder): return try start(marks)
            case "kill": return try kill(marks)
            case "delete" where marks.has(.holder): return try delete(marks)
            default: return Spawn.replace(with: passThrough)
            }
        } catch {
            FileHandle.standardError.write(Data("podbench-runsc: \(command) \(id): \(error)\n".utf8))
            return 1
        }
    }

    private func create(_ marks: HolderState) throws -> Int32 {
        let bundle = line.value(of: "--bundle", "-bundle", "-b") ?? "."
        let config = URL(fileURLWithPath: bundle).appendingPathComponent("config.json")
        var spec = try BundleSpec(json: Data(contentsOf: config))
        guard spec.joinsASandbox else { return Spawn.replace(with: runscCommand(["create"] + line.arguments)) }
        if spec.applyMountHints() { try spec.json().write(to: config, options: .atomic) }
        let created = Spawn.wait(try Spawn.start(runscCommand(["create"] + line.arguments)))
        guard created == 0 else { return created }
        // The holder keeps the streams the monitor gave `create` (this process's 0, 1 and 2).
        let holder = try Spawn.start([executable, Self.holdOption, marks.id, "--"] + line.global, newSession: true)
        try marks.set(.holder, "\(holder)")
        if let pidFile = line.value(of: "--pid-file", "-pid-file") {
            try Data("\(holder)".utf8).write(to: URL(fileURLWithPath: pidFile), options: .atomic)
        }
        return 0
    }

    private func start(_ marks: HolderState) throws -> Int32 {
        guard let holder = marks.holder else { throw AdapterError("no holder pid in \(marks.path(.holder))") }
        let process = podbench_pidfd_open(holder)
        guard process >= 0 else { throw AdapterError("pidfd_open \(holder): \(String(cString: strerror(errno)))") }
        defer { close(process) }
        var streams: [Int32] = []
        defer { streams.forEach { close($0) } }
        for stream: Int32 in 0...2 {
            let copy = podbench_pidfd_getfd(process, stream)
            guard copy >= 0 else { throw AdapterError("pidfd_getfd \(holder) \(stream): \(String(cString: strerror(errno)))") }
            streams.append(copy)
        }
        let started = Spawn.wait(try Spawn.start(runscCommand(["start"] + line.arguments), stdio: streams))
        // A start that failed ends the holder too: the monitor would wait for a container that
        // never ran.
        try marks.set(started == 0 ? .started : .deleted)
        return started
    }

    private func kill(_ marks: HolderState) throws -> Int32 {
        if marks.has(.holder) && !marks.has(.started) {
            // Never started: ending the holder is the whole kill.
            try marks.set(.deleted)
            return 0
        }
        let (status, output) = try Spawn.output(runscCommand(["kill"] + line.arguments))
        // runc's monitors take "container not running" as done; runsc says "not running".
        let said = status != 0 && output.contains("not running") && !output.contains("container not running") ? output + " (container not running)" : output
        FileHandle.standardError.write(Data(said.utf8))
        return status
    }

    private func delete(_ marks: HolderState) throws -> Int32 {
        try marks.set(.deleted)
        let deleted = Spawn.wait(try Spawn.start(runscCommand(["delete"] + line.arguments)))
        // The holder removes the marks as it ends; one that is gone already cannot.
        if let holder = marks.holder, Glibc.kill(holder, 0) != 0, errno == ESRCH { marks.removeAll() }
        return deleted
    }
}
