import ArgumentParser
import PodbenchKit

/// How podbench reaches a CRI runtime (containerd, CRI-O).
struct CRIEndpointOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The CRI endpoint. Default: $PODBENCH_CRI_ENDPOINT, else containerd's, \(CRIEndpointFlag.defaultEndpoint).", valueName: "unix:///path"))
    var criEndpoint: String?

    var flag: CRIEndpointFlag { CRIEndpointFlag(criEndpoint: criEndpoint) }

    func validate() throws {
        try usage(flag.validate)
    }
}

/// How scenarios run on a CRI runtime: the endpoint and the runtime handlers.
struct CRIOptions: ParsableArguments {
    @OptionGroup var connection: CRIEndpointOption

    @Option(name: .long, help: ArgumentHelp("The CRI runtime handler pods run under (what a RuntimeClass names); a comma list runs every scenario under each, a run each (runc,runsc).", valueName: "names"))
    var runtimeHandler: String?

    var flags: CRIFlags { CRIFlags(connection: connection.flag, runtimeHandler: runtimeHandler) }

    func validate() throws {
        try usage(flags.validate)
    }
}
