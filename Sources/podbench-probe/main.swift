import CPodbenchSandbox
import PodbenchProbes

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// By now the sandbox constructor has set up the pod or the container, when asked to.
exit(ProbeMain.run(CommandLine.arguments, sandboxed: podbench_sandbox_mode() != 0))
