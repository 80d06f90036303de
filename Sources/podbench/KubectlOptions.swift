import ArgumentParser
import Foundation
import PodbenchRuntime

/// How podbench reaches a Kubernetes cluster: kubectl's own conventions (KUBECONFIG,
/// contexts, namespaces).
struct KubectlOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The kubeconfig context. Default: its current context.", valueName: "name"))
    var context: String?

    @Option(name: .long, help: ArgumentHelp("The namespace pods run in. Default: podbench.", valueName: "name"))
    var namespace: String?

    @Option(name: .long, help: ArgumentHelp("The kubectl executable. Default: $PODBENCH_KUBECTL, else kubectl on PATH.", valueName: "path"))
    var kubectl: String?

    /// The flags given.
    var given: [String] {
        flagsGiven(["--context": context != nil, "--namespace": namespace != nil, "--kubectl": kubectl != nil])
    }

    var client: Kubectl {
        Kubectl(executable: kubectl ?? ProcessInfo.processInfo.environment["PODBENCH_KUBECTL"] ?? "kubectl", context: context, namespace: namespace ?? "podbench")
    }
}
