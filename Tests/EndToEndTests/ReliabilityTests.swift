import Foundation
import GRDB
import PodbenchTestSupport
import Synchronization
import Testing

/// The second round of hostile input, faults and signals, replayed: one test (or table) per
/// class of finding, each of which failed before it was fixed.
@Suite(.serialized) struct ReliabilityTests {
    /// Runs `script` with bash, `$1`... being `arguments` (never spliced into the script).
    static func bash(_ script: String, _ arguments: [String] = [], environment: [String: String] = [:]) async throws -> Invocation {
        try await runCommand("/bin/bash", ["-c", script, "bash"] + arguments, environment: environment)
    }

    static func kind(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    /// A database holding one passing run of shared-hostname.
    static func database(in scratch: Scratch, named name: String = "r.sqlite") async throws -> String {
        let db = scratch.url.appendingPathComponent(name).path
        let run = try await podbenchRun(["run", "shared-hostname", "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        return db
    }

    /// Waits until `ready` holds (polling on a thread of its own: the concurrency pool's
    /// threads may be busy with other tests), up to 30 s, then sends `signal` to `pids`.
    static func signal(_ signal: Int32, _ pids: @escaping @Sendable () -> [Int32], when ready: @escaping @Sendable () -> Bool) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                let deadline = Date().addingTimeInterval(30)
                while !ready(), Date() < deadline { usleep(2_000) }
                for pid in pids() { kill(pid, signal) }
                done.resume()
            }.start()
        }
    }

    static func makedev(_ major: UInt32, _ minor: UInt32) -> dev_t {
        dev_t(minor & 0xff) | dev_t(major & 0xfff) << 8 | dev_t(minor & ~0xff) << 12 | dev_t(major & ~0xfff) << 32
    }

    // MARK: 1. Files podbench does not own are written through or refused, never replaced

    /// `/dev/stdout` is podbench's own standard output: every report option and the export
    /// write through it, and it stays the symbolic link it was.
    @Test func everyOutputOptionWritesThroughStandardOutput() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "shared-hostname", "--db", db, "--html", "/dev/stdout", "--junit", "/dev/stdout", "--markdown", "/dev/stdout",
                                         "--openmetrics", "/dev/stdout", "--done-file", "/dev/stdout"])
        #expect(run.status == 0, "\(run.error)")
        for marker in ["<!DOCTYPE html>", "<testsuites", "## ", "podbench_run_info", "# EOF", "/dev/stdout"] {
            #expect(run.output.contains(marker), "\(marker) reached standard output")
        }
        let export = try await podbenchRun(["db", "export", "--db", db, "--output", "/dev/stdout"])
        #expect(export.status == 0 && export.output.hasPrefix("{") && export.output.contains("\"id\":1,"), "\(export.output.prefix(80))\(export.error)")
        #expect(Self.kind("/dev/stdout") == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/dev/stdout") == "/proc/self/fd/1")
    }

    /// A FIFO gets the report through it and stays a FIFO; /dev/null stays a device.
    @Test func aFIFOAndDevNullAreWrittenThroughAndStayWhatTheyAre() async throws {
        let scratch = try Scratch()
        let db = try await Self.database(in: scratch)
        let fifos = ["html", "junit", "markdown", "openmetrics", "export"].map { scratch.url.appendingPathComponent("\($0).fifo").path }
        for fifo in fifos { #expect(mkfifo(fifo, 0o600) == 0) }
        let read = Mutex<[String: Int]>([:])
        let readers = fifos.map { fifo in
            Thread {
                let fd = open(fifo, O_RDONLY)
                var buffer = [UInt8](repeating: 0, count: 65536), total = 0
                while case let n = Foundation.read(fd, &buffer, buffer.count), n > 0 { total += n }
                close(fd)
                read.withLock { $0[fifo] = total }
            }
        }
        readers.forEach { $0.start() }
        let report = try await podbenchRun(["report", "--db", db, "--html", fifos[0], "--junit", fifos[1]])
        let formats = try await podbenchRun(["run", "shared-hostname", "--db", db, "--markdown", fifos[2], "--openmetrics", fifos[3]])
        let export = try await podbenchRun(["db", "export", "--db", db, "--output", fifos[4]])
        #expect(report.status == 0 && formats.status == 0 && export.status == 0, "\(report.error)\(formats.error)\(export.error)")
        _ = try await eventually(within: .seconds(2), every: .milliseconds(20)) { read.withLock { $0.count } >= fifos.count }
        for fifo in fifos {
            #expect((read.withLock { $0[fifo] } ?? 0) > 0, "\(fifo) was read")
            #expect(Self.kind(fifo) == S_IFIFO)
        }
        let null = try await podbenchRun(["report", "--db", db, "--html", "/dev/null", "--junit", "/dev/null"])
        #expect(null.status == 0)
        #expect(Self.kind("/dev/null") == S_IFCHR)
    }

    /// A device node that is not a terminal, /dev/null or /dev/full is refused before anything
    /// runs, with exit 2, and is left a device.
    @Test(arguments: ["--html", "--junit", "--markdown", "--openmetrics", "--done-file", "--output"])
    func aDeviceNodeIsRefusedBeforeAnythingRuns(_ option: String) async throws {
        let scratch = try Scratch()
        let node = scratch.url.appendingPathComponent("node").path
        #expect(mknod(node, S_IFCHR | 0o666, Self.makedev(1, 8)) == 0)
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let arguments: [String] = switch option {
        case "--output": ["db", "export", "--db", try await Self.database(in: scratch, named: "e.sqlite"), "--output", node]
        case "--done-file": ["run", "shared-hostname", "--db", db, "--junit", scratch.url.appendingPathComponent("j.xml").path, "--done-file", node]
        default: ["run", "shared-hostname", "--db", db, option, node]
        }
        let run = try await podbenchRun(arguments)
        #expect(run.status == 2, "\(run.output)\(run.error)")
        #expect(run.error.contains("it is a device (1:8)"), "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: db), "nothing was run")
        #expect(Self.kind(node) == S_IFCHR)
    }

    /// A database path that is a device gets no journal beside it, and a FIFO is not waited on.
    @Test func aDatabaseThatIsNotAFileIsRefusedAtOnce() async throws {
        let scratch = try Scratch()
        let node = scratch.url.appendingPathComponent("node.sqlite").path, fifo = scratch.url.appendingPathComponent("fifo.sqlite").path
        #expect(mknod(node, S_IFCHR | 0o666, Self.makedev(1, 3)) == 0)
        #expect(mkfifo(fifo, 0o600) == 0)
        for arguments in [["run", "shared-hostname"], ["history"], ["report"], ["db", "export"], ["cleanup", "--runtime", "local"]] {
            for path in [node, fifo] {
                let run = try await podbenchRun(arguments + ["--db", path])
                #expect(run.status == 2, "\(arguments) \(path): \(run.output)\(run.error)")
                #expect(run.error.contains(path == node ? "is a device, not a database file" : "is a FIFO, not a database file"), "\(run.error)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == ["fifo.sqlite", "node.sqlite"])
    }

    // MARK: 2. Read commands read what they may not write, and leave nothing

    static let readCommands: [[String]] = [["history"], ["report"], ["compare"], ["baseline", "show"], ["db", "export"]]

    static func asNobody(_ arguments: [String]) async throws -> Invocation {
        try await runCommand("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", podbench] + arguments)
    }

    /// Read-only for the user in a directory it may not write (and, second, in one it may):
    /// every read command reads, no file appears, and the owner writes on afterwards.
    @Test(.enabled(if: OrdinaryUserTests.canRunAsNobody, "needs root, setpriv and a build directory nobody can reach"))
    func readCommandsReadADatabaseTheUserMayNotWriteAndLeaveNothing() async throws {
        let scratch = try Scratch()
        let db = try await Self.database(in: scratch)
        _ = try await podbenchRun(["run", "shared-hostname", "--db", db])
        for directoryMode: mode_t in [0o755, 0o1777] {
            chmod(scratch.url.path, directoryMode)
            let before = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted()
            for command in Self.readCommands {
                let read = try await Self.asNobody(command + ["--db", db])
                #expect(read.status == 0, "\(command) in a \(String(directoryMode, radix: 8)) directory: \(read.error)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == before, "no -wal, -shm or journal left")
            let owner = try await podbenchRun(["baseline", "set", "1", "--db", db])
            #expect(owner.status == 0, "\(owner.error)")
        }
        chmod(scratch.url.path, 0o755)
    }

    /// A database an older podbench left without its -wal and -shm is read as the file alone
    /// (immutable); one whose -shm someone removed is read from a private copy. Neither leaves
    /// a file, and both read every run.
    @Test(.enabled(if: OrdinaryUserTests.canRunAsNobody, "needs root, setpriv and a build directory nobody can reach"))
    func aDatabaseWithoutItsWalOrShmIsReadToo() async throws {
        let scratch = try Scratch()
        let db = try await Self.database(in: scratch)
        // A writer that ends without closing leaves its write in the -wal.
        let writer = try await Self.bash(#"python3 -c 'import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE run SET host = host"); c.commit(); os._exit(0)' "$1""#, [db])
        #expect(writer.status == 0, "\(writer.error)")
        try FileManager.default.removeItem(atPath: db + "-shm")
        let withWal = try await Self.asNobody(["history", "--db", db])
        #expect(withWal.status == 0 && withWal.output.contains("passed"), "\(withWal.output)\(withWal.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == ["r.sqlite", "r.sqlite-wal"])
        try FileManager.default.removeItem(atPath: db + "-wal")
        let alone = try await Self.asNobody(["history", "--db", db])
        #expect(alone.status == 0 && alone.output.contains("passed"), "\(alone.output)\(alone.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["r.sqlite"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("podbench-read-") }
        #expect(leftovers.isEmpty, "the private copy went: \(leftovers)")
    }

    // MARK: 4. Signals and a closed standard output

    /// `podbench run ... | head -1`: the reader goes, the run goes on and is stored, nothing is
    /// left, and podbench says its standard output failed (exit 3), never dies of SIGPIPE.
    @Test func aClosedPipeDoesNotKillTheRun() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await Self.bash(#""$1" run shared-hostname ipc-message-queue --db "$2" | head -1; exit "${PIPESTATUS[0]}""#, [podbench, db])
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(run.error.contains("cannot write to standard output: Broken pipe (EPIPE)"), "\(run.error)")
        #expect(try storedRunStatus(db) == "passed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).filter { $0.hasSuffix(".lock") }.isEmpty)
    }

    /// SIGTERM at several moments of an export to a file: the file is whole or absent, and
    /// nothing else is left beside it.
    @Test func anInterruptedExportLeavesNoPartialFile() async throws {
        let scratch = try Scratch()
        let db = try await Self.database(in: scratch)
        for _ in 0..<3 { _ = try await podbenchRun(["run", "shared-hostname", "ipc-message-queue", "--db", db]) }
        let out = scratch.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for delay in [0, 5, 20, 60] {
            let target = out.appendingPathComponent("runs-\(delay).jsonl").path
            let run = try await podbenchRun(["db", "export", "--db", db, "--output", target]) { process in
                try await Task.sleep(for: .milliseconds(delay))
                kill(process.processIdentifier, SIGTERM)
            }
            #expect(run.status == 0 || run.status == 128 + SIGTERM || run.status == SIGTERM, "\(run.error)")
            if FileManager.default.fileExists(atPath: target) {
                #expect(try String(contentsOfFile: target, encoding: .utf8).split(separator: "\n").count == 4, "whole when it is there")
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix("runs-") || !$0.hasSuffix(".jsonl") }
        #expect(left.isEmpty, "\(left)")
    }

    // MARK: 5. A full or closed standard output or error is exit 3, never a crash

    @Test(arguments: [["list"], ["history"], ["report", "--json"], ["report", "--markdown"], ["report", "--openmetrics"], ["render", "shared-volume"], ["db", "export"]])
    func aFullOrClosedStandardOutputIsExitThreeNeverACrashOrZero(_ command: [String]) async throws {
        let scratch = try Scratch()
        let db = try await Self.database(in: scratch)
        let arguments = [podbench] + command + (command.first == "list" || command.first == "render" ? [] : ["--db", db])
        let full = try await Self.bash(#""$@" > /dev/full"#, arguments)
        #expect(full.status == 3, "\(command): \(full.error)")
        #expect(full.error.contains("cannot write to standard output: No space left on device (ENOSPC)"), "\(command): \(full.error)")
        let closed = try await Self.bash(#""$@" >&-"#, arguments)
        #expect(closed.status == 3, "\(command): \(closed.error)")
        #expect(closed.error.contains("(EBADF)"), "\(command): \(closed.error)")
    }

    /// An error said to a closed or full standard error still exits with its status.
    @Test func anErrorWithNowhereToGoKeepsItsStatus() async throws {
        let closed = try await Self.bash(#""$1" validate /nonexistent.yaml 2>&-"#, [podbench])
        #expect(closed.status == 2)
        let full = try await Self.bash(#""$1" validate /nonexistent.yaml 2>/dev/full"#, [podbench])
        #expect(full.status == 2)
    }

    // MARK: 3. Nothing waits for ever on a stopped process

    /// A pod infrastructure stopped before it comes up (a probe that stops itself as
    /// `pod-infra`) is killed at the scenario's timeout, named, and nothing is left.
    @Test func aStoppedPodInfrastructureIsTheTimeoutNamingIt() async throws {
        let scratch = try Scratch()
        let probe = buildDirectory.appendingPathComponent("podbench-probe").path
        let wrapper = try scratch.file("stopping-probe", "#!/bin/sh\nif [ \"$1\" = pod-infra ]; then kill -STOP $$; fi\nexec '\(probe)' \"$@\"\n")
        chmod(wrapper, 0o755)
        _ = try scratch.file("scenarios/s.yaml", """
            name: stopped-infra
            description: A pod whose infrastructure is stopped.
            timeout: 2s
            pod:
              name: stalled
              containers: [{name: c, probe: hostname, args: {name: stalled}}]
            expect: [{check: uts.hostname, level: MUST}]
            """)
        let clock = ContinuousClock(), start = clock.now
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--probe", wrapper,
                                         "--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(run.output.flattened.contains("timed out after 2s: pod stalled's infrastructure (pid "), "\(run.output)")
        #expect(run.output.flattened.contains("did not come up: it was stopped by a signal (SIGSTOP or SIGTSTP)"), "\(run.output)")
        #expect(clock.now - start < .seconds(20))
        #expect(pids(mentioning: wrapper).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("podbench-pod-stopped-infra-") }.isEmpty)
    }

    /// Stopped once its pod is up, the infrastructure does not exit when told to: it is killed
    /// after the grace, and the run ends with its verdict.
    @Test func aPodInfrastructureStoppedWhileItsPodRunsIsKilledAtTheEnd() async throws {
        let scratch = try Scratch()
        _ = try scratch.file("scenarios/s.yaml", """
            name: stopped-later
            description: A volume pod whose infrastructure is stopped while it runs.
            pod:
              name: stallinfra
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: r, probe: volume-reader, args: {path: /v/f, count: 15}, volumeMounts: [{name: v, mountPath: /v}]}
                - {name: w, probe: volume-writer, args: {path: /v/f, count: 15, interval: 100ms}, volumeMounts: [{name: v, mountPath: /v}]}
            expect: [{check: volume.lines-seen, level: MUST}]
            """)
        let clock = ContinuousClock(), start = clock.now
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", scratch.url.appendingPathComponent("r.sqlite").path]) { _ in
            // Once its containers run: the infrastructure has said it is ready.
            await Self.signal(SIGSTOP, { pids(mentioning: "pod-infra --hostname stallinfra") },
                              when: { pids(mentioning: "podbench-pod-stopped-later-").filter { commandLine(of: $0).contains("volume-") }.count >= 4 })
        }
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(clock.now - start < .seconds(20))
        #expect(pids(mentioning: "pod-infra --hostname stallinfra").isEmpty)
    }

    /// Finding 7: a writer stopped mid-run is the timed-out error naming it, not a MUST failure
    /// of its reader.
    @Test func aStoppedWriterIsTheTimeoutNotAFailureOfItsReader() async throws {
        let scratch = try Scratch()
        _ = try scratch.file("scenarios/s.yaml", """
            name: stopped-writer
            description: A writer stopped mid-run.
            timeout: 3s
            pod:
              name: stopw
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: r, probe: volume-reader, args: {path: /v/f, count: 40}, volumeMounts: [{name: v, mountPath: /v}]}
                - {name: w, probe: volume-writer, args: {path: /v/f, count: 40, interval: 50ms}, volumeMounts: [{name: v, mountPath: /v}]}
            expect: [{check: volume.lines-seen, level: MUST}, {check: volume.written, level: MUST}]
            """)
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", scratch.url.appendingPathComponent("r.sqlite").path]) { _ in
            // This scenario's writer only: other tests' pods may run beside it.
            let writers = { @Sendable in pids(mentioning: "podbench-pod-stopped-writer-").filter { commandLine(of: $0).contains("volume-writer") } }
            await Self.signal(SIGSTOP, writers, when: { writers().count >= 2 })
        }
        #expect(run.status == 3, "\(run.output)\(run.error)")
        #expect(run.output.contains("stopw/w was stopped by a signal (SIGSTOP or SIGTSTP) and never ended"), "\(run.output)")
        #expect(!run.output.contains("FAIL "), "\(run.output)")
    }

    // MARK: 5. Limits for what the machine can hold

    static func manyContainers(_ count: Int) -> String {
        """
        name: crowded
        description: A pod of many containers.
        pod:
          name: crowd
          containers:
        \((0..<count).map { "    - {name: c\($0), probe: hostname, args: {name: crowd}}" }.joined(separator: "\n"))
        expect: [{check: uts.hostname, level: MUST}]
        """
    }

    /// More containers than the open-file limit can hold is refused at validate (exit 2, with
    /// what to do), not a crash or a hang; so is more than podbench's own limit; and a pod of
    /// 100 containers runs, leaving nothing.
    @Test func aScenarioBeyondWhatTheMachineHoldsIsRefusedAndOneWithinItRuns() async throws {
        let scratch = try Scratch()
        let tight = try scratch.file("scenarios/tight.yaml", Self.manyContainers(22))
        let low = try await Self.bash(#"ulimit -n 64 && exec "$1" validate "$2""#, [podbench, tight])
        #expect(low.status == 2, "\(low.output)\(low.error)")
        #expect(low.error.contains("the scenario has 22 containers; with this machine's open-file limit (ulimit -n) podbench can run at most 0 at once"), "\(low.error)")
        let crowded = try scratch.file("crowded/crowded.yaml", Self.manyContainers(302))
        let many = try await podbenchRun(["validate", crowded])
        #expect(many.status == 2 && many.error.contains("the scenario has 302 containers; a scenario may have at most 128"), "\(many.error)")
        try FileManager.default.removeItem(atPath: tight)
        _ = try scratch.file("scenarios/hundred.yaml", Self.manyContainers(100))
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--db", db])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(pids(mentioning: "podbench-pod-crowded-").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("podbench-pod-crowded-") }.isEmpty)
    }

    // MARK: 6. cleanup removes only what podbench made

    /// A user's directory named like podbench's, with a bind mount in it, and a process whose
    /// command line names it, are not podbench's: cleanup leaves all three.
    @Test func cleanupLeavesAUsersLookAlikeDirectoryMountAndProcess() async throws {
        let notes = "/tmp/podbench-pod-mynotes-\(UUID().uuidString.prefix(6))"
        let mounted = notes + "/mounted", source = notes + "-source"
        try FileManager.default.createDirectory(atPath: mounted, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        defer {
            _ = umount2(mounted, Int32(MNT_DETACH))
            try? FileManager.default.removeItem(atPath: notes)
            try? FileManager.default.removeItem(atPath: source)
        }
        _ = FileManager.default.createFile(atPath: notes + "/todo.txt", contents: Data("mine\n".utf8))
        _ = FileManager.default.createFile(atPath: source + "/kept.txt", contents: Data("kept\n".utf8))
        #expect(mount(source, mounted, nil, UInt(MS_BIND), nil) == 0)
        // In a session of its own, so that it outlives the shell that starts it.
        _ = try await Self.bash(#"setsid -f python3 -c 'import time; time.sleep(60)' "$1" >/dev/null 2>&1"#, [notes + "-2024"])
        // Kept as first seen: a second scan may land while setsid's child execs python, when
        // its command line reads empty for a moment (the pid stays).
        var seen: Int32?
        _ = try await eventually(within: .seconds(10)) {
            seen = pids(mentioning: notes + "-2024").first
            return seen != nil
        }
        let sleeperPid = try #require(seen)
        defer { kill(sleeperPid, SIGKILL) }
        let cleanup = try await podbenchRun(["cleanup", "--runtime", "local", "--db", "/nonexistent/r.sqlite"])
        #expect(cleanup.status == 0, "\(cleanup.error)")
        #expect(!cleanup.output.contains("mynotes"), "\(cleanup.output)")
        #expect(FileManager.default.fileExists(atPath: notes + "/todo.txt"))
        #expect(FileManager.default.fileExists(atPath: mounted + "/kept.txt"), "the user's bind mount is still there")
        #expect(kill(sleeperPid, 0) == 0, "the user's process is alive")
    }

    /// Through a second path to the database (a symbolic link), cleanup leaves a live run
    /// running and prune does not delete it; the run ends with its results.
    @Test func cleanupAndPruneThroughALinkLeaveALiveRunAlone() async throws {
        let scratch = try Scratch()
        try scratch.slowVolumeScenario(named: "linked-volume")
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let elsewhere = scratch.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let link = elsewhere.appendingPathComponent("link.sqlite").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: db)
        let answers = Mutex<[Invocation]>([])
        let run = try await podbenchRun(["run", "all", "--scenarios", scratch.url.appendingPathComponent("scenarios").path, "--timeout", "20s", "--db", db]) { _ in
            await Self.signal(0, { [] }, when: { pids(mentioning: "podbench-pod-linked-volume-").count >= 4 })
            let cleanup = try await podbenchRun(["cleanup", "--runtime", "local", "--db", link])
            let prune = try await podbenchRun(["db", "prune", "--keep", "0", "--db", link])
            answers.withLock { $0 = [cleanup, prune] }
        }
        let (cleanup, prune) = answers.withLock { ($0[0], $0[1]) }
        #expect(cleanup.status == 0 && !cleanup.output.contains("recorded run 1 as interrupted"), "\(cleanup.output)")
        #expect(prune.status == 0 && prune.output.contains("deleted 0 runs"), "\(prune.output)")
        #expect(run.status == 3, "the scenario outlasts its 20s timeout: \(run.output)\(run.error)")
        #expect(!run.error.contains("FOREIGN KEY"), "\(run.error)")
        #expect(try storedRunStatus(db) == "error")
    }

    // MARK: 7 and 8. Messages that say why, and numbers written one way

    /// A scenario file that is a FIFO, a directory, a loop of links or unreadable is refused
    /// with the cause, never waited on; YAML nested past the limit is said in podbench's words.
    @Test func anUnreadableScenarioFileSaysWhy() async throws {
        let scratch = try Scratch()
        let fifo = scratch.url.appendingPathComponent("fifo.yaml").path
        #expect(mkfifo(fifo, 0o644) == 0)
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("listed/dir.yaml"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.url.appendingPathComponent("loop.yaml").path, withDestinationPath: scratch.url.appendingPathComponent("loop.yaml").path)
        let deep = try scratch.file("deep/deep.yaml", "name: deep\ndescription: x\nexpect: " + String(repeating: "[", count: 1100) + String(repeating: "]", count: 1100) + "\n")
        let cases: [(String, String)] = [
            (fifo, "it is a FIFO, not a regular file"), (scratch.url.appendingPathComponent("listed").path, "it is a directory, not a scenario file"),
            (scratch.url.appendingPathComponent("loop.yaml").path, "its symbolic links loop"), (deep, "the YAML is nested more than 1000 levels deep"),
        ]
        for (path, message) in cases {
            let run = try await podbenchRun(["validate", path])
            #expect(run.status == 2 && run.error.contains(message), "\(path): \(run.error)")
            #expect(!run.error.contains("yaml_set_max_nest_level"))
        }
        let unreadable = try scratch.file("secret/secret.yaml", "name: s\n")
        chmod(unreadable, 0o600)
        chmod(scratch.url.path, 0o755)
        if OrdinaryUserTests.canRunAsNobody {
            let run = try await Self.asNobody(["validate", unreadable])
            #expect(run.status == 2 && run.error.contains("permission denied: podbench may not read it"), "\(run.error)")
        }
    }

    /// The same path written in NFC and NFD reads alike but is not one path to the kernel.
    @Test func aPathInAnotherUnicodeNormalizationIsRefusedNotTimedOut() async throws {
        let scratch = try Scratch()
        let file = try scratch.file("nfd.yaml", """
            name: nfd
            description: Two spellings of one name.
            pod:
              name: p
              volumes: [{name: v, emptyDir: {}}]
              containers:
                - {name: w, probe: volume-writer, args: {path: "/caf\u{E9}/f"}, volumeMounts: [{name: v, mountPath: "/cafe\u{301}"}]}
            expect: [{check: volume.written, level: MUST}]
            """)
        let run = try await podbenchRun(["validate", file])
        #expect(run.status == 2, "\(run.output)\(run.error)")
        #expect(run.error.contains("written in different Unicode normalizations (NFC and NFD)"), "\(run.error)")
    }

    /// 1,000 pods naming a missing peer: the first 50 problems and a count of the rest, each
    /// naming a few pods, not megabytes.
    @Test func problemsAreCappedPerFile() async throws {
        let scratch = try Scratch()
        let pods = (0..<1000).map { "  - {name: p\($0), containers: [{name: c, probe: echo-client, args: {transport: tcp, peer-pod: gone\($0)}}]}" }
        let file = try scratch.file("peers.yaml", "name: peers\ndescription: x\npods:\n" + pods.joined(separator: "\n") + "\nexpect: [{check: pod.completed, level: MUST}]\n")
        let run = try await podbenchRun(["validate", file])
        #expect(run.status == 2)
        #expect(run.error.utf8.count < 64 * 1024, "\(run.error.utf8.count) bytes")
        // 950 more peers, and the 1,000 containers themselves (more than a scenario may have).
        #expect(run.error.contains("and 951 more problems in this file"), "\(run.error.suffix(300))")
    }

    /// Numbers are plain decimals wherever they are written: no sign, exponent, hexadecimal
    /// (but an IPC key's), inf or nan; dates since 1970; a host name that is a name.
    @Test(arguments: [
        ["run", "all", "--fail-on-regression", "--tolerance", "1e2"], ["compare", "--tolerance", "0x10"], ["db", "prune", "--older-than", "nan"],
        ["db", "prune", "--older-than", "-1"], ["run", "all", "--host", ""], ["history", "--since", "2000000d"], ["history", "--since", "+7d"],
    ])
    func nonsenseOptionsAreUsageErrors(_ arguments: [String]) async throws {
        let scratch = try Scratch()
        let run = try await podbenchRun(arguments + ["--db", scratch.url.appendingPathComponent("r.sqlite").path])
        #expect(run.status == 2, "\(arguments): \(run.output)\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent("r.sqlite").path))
    }

    /// `TERM=dumb` on a terminal gets plain text: no colour, no redrawn line.
    @Test func aDumbTerminalGetsPlainText() async throws {
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let command = [podbench, "run", "ipc-message-queue", "--db", db].map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let run = try await runCommand("/usr/bin/script", ["--quiet", "--flush", "--return", "--command", command, "/dev/null"], environment: ["TERM": "dumb"])
        #expect(run.status == 0, "\(run.output)\(run.error)")
        #expect(!run.output.contains("\u{1B}"), "\(run.output.debugDescription)")
        #expect(run.output.contains("[1/1] ipc-message-queue running…"))
    }
}
