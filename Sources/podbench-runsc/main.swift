import CPodbench
import Foundation
import PodbenchRunsc

// podbench-runsc: gVisor's runsc for runc-style monitors, a pod in one sandbox (RunscAdapter).
let arguments = Array(CommandLine.arguments.dropFirst())
let adapter = RunscAdapter(arguments: arguments, environment: ProcessInfo.processInfo.environment,
                           executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path)
if arguments.first == RunscAdapter.holdOption, arguments.count >= 3, arguments[2] == "--" {
    // Nothing of the adapter's is the holder's to keep.
    podbench_close_from(3)
    exit(Holder.run(id: arguments[1], global: Array(arguments.dropFirst(3)), adapter: adapter))
}
exit(adapter.run())
