import ArgumentParser
import PodbenchKit

/// How scenarios run on a Kubernetes cluster.
struct ClusterOptions: ParsableArguments {
    @OptionGroup var connection: KubectlOptions

    @Flag(name: .long, help: "Create the namespace when it is missing.")
    var createNamespace = false

    @Option(name: .long, help: ArgumentHelp("The RuntimeClass pods run under; a comma list runs every scenario under each, a run each (runc,gvisor).", valueName: "names"))
    var runtimeClass: String?

    @Flag(name: .long, help: "Leave the pods for debugging, and say how to remove them.")
    var keep = false

    var flags: ClusterFlags {
        ClusterFlags(connection: connection.flags, createNamespace: createNamespace, runtimeClass: runtimeClass, keep: keep)
    }

    func validate() throws {
        try usage(flags.validate)
    }
}
