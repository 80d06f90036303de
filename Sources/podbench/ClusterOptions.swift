import ArgumentParser
import Foundation
import PodbenchReport
import PodbenchRuntime

/// How podbench reaches a Kubernetes cluster: kubectl's own conventions (KUBECONFIG,
/// contexts, namespaces).
struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The kubeconfig context. Default: its current context.", valueName: "name"))
    var context: String?

    @Option(name: .long, help: ArgumentHelp("The namespace pods run in.", valueName: "name"))
    var namespace = "podbench"

    @Flag(name: .long, help: "Create the namespace when it is missing.")
    var createNamespace = false

    @Option(name: .long, help: ArgumentHelp("The RuntimeClass pods run under; a comma list runs every scenario under each, a run each (runc,gvisor).", valueName: "names"))
    var runtimeClass: String?

    @Flag(name: .long, help: "Leave the pods for debugging, and say how to remove them.")
    var keep = false

    @Option(name: .long, help: ArgumentHelp("The kubectl executable. Default: $PODBENCH_KUBECTL, else kubectl on PATH.", valueName: "path"))
    var kubectl: String?

    func runtime(_ options: ManifestOptions, console: Console) -> KubernetesRuntime {
        let executable = kubectl ?? ProcessInfo.processInfo.environment["PODBENCH_KUBECTL"] ?? "kubectl"
        var runtime = KubernetesRuntime(options: options, kubectl: Kubectl(executable: executable, context: context, namespace: namespace))
        runtime.createNamespace = createNamespace
        runtime.keep = keep
        runtime.note = { console.print($0.terminalSafe) }
        return runtime
    }
}
