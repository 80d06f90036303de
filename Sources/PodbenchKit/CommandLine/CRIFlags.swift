import Foundation
import PodbenchCRI

/// How podbench reaches a CRI runtime (containerd, CRI-O), as `--cri-endpoint` gives it.
public struct CRIEndpointFlag: Sendable {
    /// containerd's endpoint, where none is given.
    public static let defaultEndpoint = CRIEndpoint.containerd.description

    /// The endpoint; nil: $PODBENCH_CRI_ENDPOINT, else containerd's.
    public var criEndpoint: String?

    public init(criEndpoint: String? = nil) {
        self.criEndpoint = criEndpoint
    }

    /// The flag, else the environment's, else containerd's.
    private var text: (value: String, source: String) {
        if let criEndpoint { return (criEndpoint, "--cri-endpoint") }
        if let variable = ProcessInfo.processInfo.environment["PODBENCH_CRI_ENDPOINT"] { return (variable, "$PODBENCH_CRI_ENDPOINT") }
        return (Self.defaultEndpoint, "the default endpoint")
    }

    public func validate() throws(UsageError) {
        let (value, source) = text
        if CRIEndpoint(value) == nil {
            throw UsageError("\(source) '\(value)' is not a Unix socket: give unix:///path/to/socket.")
        }
    }

    /// Checked in `validate`.
    var endpoint: CRIEndpoint {
        CRIEndpoint(text.value) ?? .containerd
    }
}

/// How scenarios run on a CRI runtime, as flags give it: the endpoint and the runtime handlers.
public struct CRIFlags: Sendable {
    public var connection = CRIEndpointFlag()
    /// The runtime handlers, a comma list: a run each.
    public var runtimeHandler: String?

    public init(connection: CRIEndpointFlag = CRIEndpointFlag(), runtimeHandler: String? = nil) {
        self.connection = connection
        self.runtimeHandler = runtimeHandler
    }

    /// The flags given.
    public var given: [String] {
        flagsGiven(["--cri-endpoint": connection.criEndpoint != nil, "--runtime-handler": runtimeHandler != nil])
    }

    public func validate() throws(UsageError) {
        for name in handlers.compactMap({ $0 }) where !FlagValues.isPlainName(name) {
            throw UsageError("--runtime-handler '\(name)' is not a runtime handler name: letters, digits, '-', '_' and '.'.")
        }
    }

    /// The handlers listed, or one run under the runtime's default.
    var handlers: [String?] {
        runtimeHandler.map { FlagValues.commaList($0).map(Optional.some) } ?? [nil]
    }
}
