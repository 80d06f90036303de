import Foundation
import PodbenchCore
import PodbenchSystem

/// The probe image: `podbench-probe` linked statically, alone in an image made from scratch
/// (a root filesystem holding only that file), loaded into podman.
public enum ProbeImage {
    public static let version = "0.1.0"
    /// `localhost/podbench-probe:VERSION`, what `podbench image build` tags.
    public static var defaultReference: String { "localhost/podbench-probe:\(version)" }

    /// Builds the probe from the source tree at `source` (a checkout of podbench), returning its
    /// path: a release build of `podbench-probe`, which is linked statically (Package.swift), as
    /// an image from scratch needs. It has a build directory of its own (.build/static), so that
    /// it never waits for another SwiftPM working in the checkout's (a `swift test` running).
    public static func buildStaticProbe(source: String, log: @Sendable (String) -> Void) async throws(RuntimeError) -> String {
        log("building podbench-probe (swift build -c release --product podbench-probe --build-path .build/static; minutes the first time)…")
        try await step(["swift", "build", "-c", "release", "--product", "podbench-probe", "--build-path", ".build/static"], in: source, "build the probe")
        return (source as NSString).appendingPathComponent(".build/static/release/podbench-probe")
    }

    /// Puts `probe` alone into a root filesystem and imports it into podman as `reference`,
    /// with the probe as its entrypoint.
    public static func load(probe: String, as reference: String, work: String, podman: Podman) async throws(RuntimeError) {
        let root = (work as NSString).appendingPathComponent("root")
        let target = (root as NSString).appendingPathComponent("podbench-probe")
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: probe, toPath: target)
        } catch {
            throw RuntimeError("cannot copy the probe \(probe) into the image", cause: "\(error)")
        }
        try await step(["strip", target], in: work, "strip the probe")
        let tarball = (work as NSString).appendingPathComponent("rootfs.tar")
        try await step(["tar", "-C", root, "-cf", tarball, "--owner=0", "--group=0", "--numeric-owner", "podbench-probe"], in: work, "pack the image's root filesystem")
        try await importReplacing(reference, tarball: tarball, entrypoint: "/podbench-probe", podman: podman)
    }

    /// The label on every image podbench imports: what marks an untagged one as podbench's.
    static let imageLabel = "io.podbench.image"

    /// Imports `tarball` as `reference`, then removes podbench's images (its label) that no
    /// tag names any more and no container uses: a rebuild leaves nothing dangling, however
    /// many builds ran at once.
    static func importReplacing(_ reference: String, tarball: String, entrypoint: String, podman: Podman) async throws(RuntimeError) {
        try await podman.check(["import", "--change", "ENTRYPOINT [\"\(entrypoint)\"]", "--change", "LABEL \(imageLabel)=\(version)", tarball, reference], "import \(reference)")
        _ = try? await podman.run(["image", "prune", "--force", "--filter", "label=\(imageLabel)"])
    }

    /// Runs one build step to its end; its last words become the failure's cause.
    static func step(_ command: [String], in directory: String, _ what: String) async throws(RuntimeError) {
        _ = try await CommandResult.check(command[0], Array(command.dropFirst()), what, in: directory)
    }
}

/// The pod sandbox's pause image for a containerd nothing can be pulled into: `Image/pause.c`
/// linked statically, alone in an image, as the CRI's `sandbox_image` names it.
extension ProbeImage {
    public static var pauseReference: String { "localhost/podbench-pause:\(version)" }

    /// Builds the pause process from the checkout at `source` and imports it into podman as
    /// `pauseReference`.
    public static func loadPause(source: String, work: String, podman: Podman) async throws(RuntimeError) {
        let root = (work as NSString).appendingPathComponent("pause-root")
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw RuntimeError("cannot make the pause image's root filesystem", cause: "\(error)")
        }
        try await step(["cc", "-static", "-O2", "-o", (root as NSString).appendingPathComponent("pause"), (source as NSString).appendingPathComponent("Image/pause.c")], in: source, "compile Image/pause.c")
        let tarball = (work as NSString).appendingPathComponent("pause.tar")
        try await step(["tar", "-C", root, "-cf", tarball, "--owner=0", "--group=0", "--numeric-owner", "pause"], in: work, "pack the pause image's root filesystem")
        try await importReplacing(pauseReference, tarball: tarball, entrypoint: "/pause", podman: podman)
    }

    /// Copies `reference` from podman into containerd's `k8s.io` namespace, where the CRI looks
    /// for images: saved as an OCI archive, imported with ctr over containerd's socket.
    public static func copyToContainerd(_ reference: String, socket: String, work: String, podman: Podman) async throws(RuntimeError) {
        let archive = (work as NSString).appendingPathComponent("image.tar")
        try? FileManager.default.removeItem(atPath: archive)
        try await podman.check(["save", "--format", "oci-archive", "--output", archive, reference], "save \(reference)")
        let name = String(reference[..<(reference.lastIndex(of: ":") ?? reference.endIndex)])
        try await step(["ctr", "--address", socket, "--namespace", "k8s.io", "images", "import", "--base-name", name, archive], in: work, "import \(reference) into containerd at \(socket)")
    }
}
