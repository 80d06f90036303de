import CPodbenchSandbox
import PodbenchProbeInterface
import PodbenchProbes

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// By now the sandbox constructor has set up the pod or the container, when asked to: the
// container's program begins here, the time its `started` record gives.
let began = realtimeNanoseconds()
exit(ProbeMain.run(CommandLine.arguments, sandboxed: podbench_sandbox_mode() != 0, began: began))
