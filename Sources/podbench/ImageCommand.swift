import ArgumentParser
import Foundation
import PodbenchCore
import PodbenchCRI
import PodbenchKit
import PodbenchReport
import PodbenchRuntime
import PodbenchSystem

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
        @Option(name: .long, help: ArgumentHelp("The image's name.", valueName: "ref")) var tag = ProbeImage.defaultReference
        @Option(name: .long, help: ArgumentHelp("Also load the probe image and a pause image (\(ProbeImage.pauseReference), built from Image/pause.c) into containerd's k8s.io namespace, at --cri-endpoint, for the CRI runtime.", valueName: "containerd"))
        var into: Engine?
        @OptionGroup(title: "containerd") var cri: CRIEndpointOption

        enum Engine: String, ExpressibleByArgument {
            case containerd
        }

        func validate() throws {
            if cri.criEndpoint != nil && into == nil { throw ValidationError("--cri-endpoint is for --into containerd.") }
        }

        func run() async throws {
            let console = Console()
            if into == .containerd {
                // Reached before anything is built or loaded.
                do {
                    _ = try await cri.endpoint.connect { try await $0.runtime.version(.with { $0.version = "v1" }) }
                } catch {
                    throw PodbenchError(.runtime, "cannot reach containerd at \(cri.endpoint)", cause: (error as? CRIUnreachable)?.reason.explanation ?? "\(error)")
                }
            }
            try await withWorkDirectory(console) { work in
                var binary = probe
                if binary == nil { binary = try await ProbeImage.buildStaticProbe(source: source) { console.print($0) } }
                let podman = try Podman.configured(in: work)
                try await ProbeImage.load(probe: binary ?? "", as: tag, work: work, podman: podman)
                console.print("podbench: loaded \(tag) into podman; 'podbench image save FILE' writes it for a registry")
                guard into == .containerd else { return }
                try await ProbeImage.loadPause(source: source, work: work, podman: podman)
                for image in [tag, ProbeImage.pauseReference] {
                    try await ProbeImage.copyToContainerd(image, socket: cri.endpoint.path, work: work, podman: podman)
                }
                console.print("podbench: loaded \(tag) and \(ProbeImage.pauseReference) into containerd at \(cri.endpoint) (namespace k8s.io)")
            }
        }
    }

    struct Save: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the probe image as an OCI archive, to push to a registry your cluster reaches.")
        @Argument(help: "The archive to write.") var file: String
        @Option(name: .long, help: ArgumentHelp("The image.", valueName: "ref")) var tag = ProbeImage.defaultReference

        func run() async throws {
            let console = Console()
            try await withWorkDirectory(console) { work in
                // Written beside the file and renamed over it: an older archive stays whole
                // until the new one is.
                let partial = file + ".partial"
                defer { try? FileManager.default.removeItem(atPath: partial) }
                try? FileManager.default.removeItem(atPath: partial)
                try await Podman.configured(in: work).check(["save", "--format", "oci-archive", "--output", partial, tag], "save \(tag)")
                guard rename(partial, file) == 0 else {
                    throw RuntimeError("cannot write \(file)", cause: String(cString: strerror(errno)))
                }
                console.print("podbench: wrote \(file); push it with: skopeo copy oci-archive:\(file) docker://REGISTRY/podbench-probe:\(ProbeImage.version)")
            }
        }
    }
}

/// Runs `body` with a private temporary directory, removed afterwards (by `podbench cleanup`
/// when the process was killed: it is locked while in use); a runtime failure is reported and
/// exits 3.
func withWorkDirectory(_ console: Console, _ body: (String) async throws -> Void) async throws {
    let work = try LockedDirectory.make("/tmp/podbench-work-XXXXXX")
    defer { work.remove() }
    try await body(work.path)
}


