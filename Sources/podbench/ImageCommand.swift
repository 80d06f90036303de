import ArgumentParser
import PodbenchKit

struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Build the probe image, or save it for a registry.",
        subcommands: [Build.self, Save.self]
    )

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build podbench-probe statically and load it into podman as an image holding nothing else.",
            discussion: "Builds from a podbench checkout (--source, default: the current directory) with swift build -c release --build-path .build/static (the probe is always linked statically), unless --probe names a probe already built.")

        @Option(name: .long, help: ArgumentHelp("The podbench checkout to build from.", valueName: "dir")) var source = "."
        @Option(name: .long, help: ArgumentHelp("A statically linked podbench-probe to use instead of building one.", valueName: "path")) var probe: String?
        @Option(name: .long, help: ArgumentHelp("The image's name.", valueName: "ref")) var tag = ProbeImageTasks.defaultReference
        @Option(name: .long, help: ArgumentHelp("Also load the probe image and a pause image (\(ProbeImageTasks.pauseReference), built from Image/pause.c) into containerd's k8s.io namespace, at --cri-endpoint, for the CRI runtime.", valueName: "containerd"))
        var into: Engine?
        @OptionGroup(title: "containerd") var cri: CRIEndpointOption

        enum Engine: String, ExpressibleByArgument {
            case containerd
        }

        func validate() throws {
            if cri.criEndpoint != nil && into == nil { throw ValidationError("--cri-endpoint is for --into containerd.") }
        }

        func run() async throws {
            try await ProbeImageTasks.build(source: source, probe: probe, tag: tag, containerd: into == .containerd ? cri.flag : nil)
        }
    }

    struct Save: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the probe image as an OCI archive, to push to a registry your cluster reaches.")
        @Argument(help: "The archive to write.") var file: String
        @Option(name: .long, help: ArgumentHelp("The image.", valueName: "ref")) var tag = ProbeImageTasks.defaultReference

        func run() async throws {
            try await ProbeImageTasks.save(tag, to: file)
        }
    }
}
