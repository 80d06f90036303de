import Foundation
import PodbenchRuntime

/// How podbench reaches a Kubernetes cluster, as flags give it: kubectl's own conventions
/// (KUBECONFIG, contexts, namespaces).
public struct KubectlFlags: Sendable {
    /// The kubeconfig context; nil: its current context.
    public var context: String?
    /// The namespace pods run in; nil: podbench.
    public var namespace: String?
    /// The kubectl executable; nil: $PODBENCH_KUBECTL, else kubectl on PATH.
    public var kubectl: String?

    public init(context: String? = nil, namespace: String? = nil, kubectl: String? = nil) {
        self.context = context
        self.namespace = namespace
        self.kubectl = kubectl
    }

    /// The flags given.
    public var given: [String] {
        flagsGiven(["--context": context != nil, "--namespace": namespace != nil, "--kubectl": kubectl != nil])
    }

    var client: Kubectl {
        Kubectl(executable: kubectl ?? ProcessInfo.processInfo.environment["PODBENCH_KUBECTL"] ?? "kubectl", context: context, namespace: namespace ?? "podbench")
    }
}

/// How scenarios run on a Kubernetes cluster, as flags give it.
public struct ClusterFlags: Sendable {
    public var connection = KubectlFlags()
    /// Whether a missing namespace is created.
    public var createNamespace = false
    /// The RuntimeClasses, a comma list: a run each.
    public var runtimeClass: String?
    /// Whether the pods are left for debugging.
    public var keep = false

    public init(connection: KubectlFlags = KubectlFlags(), createNamespace: Bool = false, runtimeClass: String? = nil, keep: Bool = false) {
        self.connection = connection
        self.createNamespace = createNamespace
        self.runtimeClass = runtimeClass
        self.keep = keep
    }

    /// The flags given.
    public var given: [String] {
        connection.given + flagsGiven(["--create-namespace": createNamespace, "--runtime-class": runtimeClass != nil, "--keep": keep])
    }

    /// The RuntimeClasses listed, or one run under the cluster's default.
    var runtimeClasses: [String?] {
        runtimeClass.map { FlagValues.commaList($0).map(Optional.some) } ?? [nil]
    }

    public func validate() throws(UsageError) {
        for name in runtimeClasses.compactMap({ $0 }) { try FlagValues.validateRuntimeClass(name) }
    }
}
