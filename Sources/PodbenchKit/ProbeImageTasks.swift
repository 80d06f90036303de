import Foundation
import PodbenchCRI
import PodbenchReport
import PodbenchRuntime
import PodbenchSystem

/// What `podbench image` does: builds the probe image into podman (and containerd), and saves
/// it as an OCI archive for a registry. Each works in a private directory of its own, locked
/// while in use and removed afterwards (by `podbench cleanup` when the process was killed).
public enum ProbeImageTasks {
    /// The image's default name.
    public static let defaultReference = ProbeImage.defaultReference
    /// The pause image's name, loaded into containerd with the probe image.
    public static let pauseReference = ProbeImage.pauseReference

    /// Builds podbench-probe statically from the checkout `source`, unless `probe` names one
    /// already built, and loads it into podman as `tag`; with `containerd`, loads it and a
    /// pause image into containerd's k8s.io namespace there, which is reached first, before
    /// anything is built.
    public static func build(source: String, probe: String?, tag: String, containerd flag: CRIEndpointFlag?, console: Console = Console()) async throws {
        let containerd = flag?.endpoint
        if let containerd {
            do {
                _ = try await containerd.connect { try await $0.runtime.version(.with { $0.version = "v1" }) }
            } catch {
                throw PodbenchError(.runtime, "cannot reach containerd at \(containerd)", cause: (error as? CRIUnreachable)?.reason.explanation ?? "\(error)")
            }
        }
        try await withWorkDirectory { work in
            var binary = probe
            if binary == nil { binary = try await ProbeImage.buildStaticProbe(source: source) { console.print($0) } }
            let podman = try Podman.configured(in: work)
            try await ProbeImage.load(probe: binary ?? "", as: tag, work: work, podman: podman)
            console.print("podbench: loaded \(tag) into podman; 'podbench image save FILE' writes it for a registry")
            guard let containerd else { return }
            try await ProbeImage.loadPause(source: source, work: work, podman: podman)
            for image in [tag, ProbeImage.pauseReference] {
                try await ProbeImage.copyToContainerd(image, socket: containerd.path, work: work, podman: podman)
            }
            console.print("podbench: loaded \(tag) and \(ProbeImage.pauseReference) into containerd at \(containerd) (namespace k8s.io)")
        }
    }

    /// Writes the image `tag` to `file` as an OCI archive: written beside it and renamed over
    /// it, so that an older archive stays whole until the new one is.
    public static func save(_ tag: String, to file: String, console: Console = Console()) async throws {
        try await withWorkDirectory { work in
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

    /// Runs `body` with a private temporary directory, removed afterwards.
    private static func withWorkDirectory(_ body: (String) async throws -> Void) async throws {
        let work = try LockedDirectory.make("/tmp/podbench-work-XXXXXX")
        defer { work.remove() }
        try await body(work.path)
    }
}
