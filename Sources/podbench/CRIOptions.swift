import ArgumentParser
import Foundation
import PodbenchCRI

/// How podbench reaches a CRI runtime (containerd, CRI-O).
struct CRIEndpointOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The CRI endpoint. Default: $PODBENCH_CRI_ENDPOINT, else containerd's, \(CRIEndpointOption.defaultEndpoint).", valueName: "unix:///path"))
    var criEndpoint: String?

    static let defaultEndpoint = CRIEndpoint.containerd.description

    /// The flag, else the environment's, else containerd's.
    private var text: (value: String, source: String) {
        if let criEndpoint { return (criEndpoint, "--cri-endpoint") }
        if let variable = ProcessInfo.processInfo.environment["PODBENCH_CRI_ENDPOINT"] { return (variable, "$PODBENCH_CRI_ENDPOINT") }
        return (Self.defaultEndpoint, "the default endpoint")
    }

    func validate() throws {
        let (value, source) = text
        if CRIEndpoint(value) == nil {
            throw ValidationError("\(source) '\(value)' is not a Unix socket: give unix:///path/to/socket.")
        }
    }

    /// Checked in `validate`.
    var endpoint: CRIEndpoint {
        CRIEndpoint(text.value) ?? .containerd
    }
}

/// How scenarios run on a CRI runtime: the endpoint and the runtime handlers.
struct CRIOptions: ParsableArguments {
    @OptionGroup var connection: CRIEndpointOption

    @Option(name: .long, help: ArgumentHelp("The CRI runtime handler pods run under (what a RuntimeClass names); a comma list runs every scenario under each, a run each (runc,runsc).", valueName: "names"))
    var runtimeHandler: String?

    /// The flags given.
    var given: [String] {
        flagsGiven(["--cri-endpoint": connection.criEndpoint != nil, "--runtime-handler": runtimeHandler != nil])
    }

    func validate() throws {
        for name in handlers.compactMap({ $0 }) where !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            throw ValidationError("--runtime-handler '\(name)' is not a runtime handler name: letters, digits, '-', '_' and '.'.")
        }
    }

    /// The handlers listed, or one run under the runtime's default.
    var handlers: [String?] {
        runtimeHandler.map { commaList($0).map(Optional.some) } ?? [nil]
    }
}
