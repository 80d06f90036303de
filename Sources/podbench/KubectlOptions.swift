import ArgumentParser
import PodbenchKit

/// How podbench reaches a Kubernetes cluster: kubectl's own conventions (KUBECONFIG,
/// contexts, namespaces).
struct KubectlOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The kubeconfig context. Default: its current context.", valueName: "name"))
    var context: String?

    @Option(name: .long, help: ArgumentHelp("The namespace pods run in. Default: podbench.", valueName: "name"))
    var namespace: String?

    @Option(name: .long, help: ArgumentHelp("The kubectl executable. Default: $PODBENCH_KUBECTL, else kubectl on PATH.", valueName: "path"))
    var kubectl: String?

    var flags: KubectlFlags { KubectlFlags(context: context, namespace: namespace, kubectl: kubectl) }
}
