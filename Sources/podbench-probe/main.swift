import PodbenchProbes

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

exit(ProbeMain.run(CommandLine.arguments))
