import Foundation
import PodbenchCore
import PodbenchSystem

extension PodmanRuntime {
    /// podman is there, knows the OCI runtime asked for, and holds the probe image: each
    /// missing one said with what to install or run, before any pod is made.
    public func preflight() async throws(RuntimeError) {
        let work: LockedDirectory
        do {
            work = try LockedDirectory.make((temporaryDirectory as NSString).appendingPathComponent("podbench-work-XXXXXX"))
        } catch {
            throw RuntimeError("cannot make a work directory under \(temporaryDirectory)", cause: "\(error)")
        }
        defer { work.remove() }
        let configured: Podman
        do {
            configured = try Podman.configured(in: work.path, ociRuntime: ociRuntime, executable: podman.executable)
        } catch {
            throw RuntimeError("cannot write podman's configuration under \(work.path)", cause: "\(error)")
        }
        // podman finds the runtime as it will for the pods (by name in its search path, or the
        // path given).
        let found: CommandResult
        do {
            found = try await configured.run(["info", "--format", "{{.Host.OCIRuntime.Path}}"])
        } catch {
            throw RuntimeError("cannot run \(podman.executable)", cause: "\(error); scripts/setup-debian installs podman")
        }
        guard found.succeeded else {
            let gVisor = (ociRuntime as NSString).lastPathComponent.contains("runsc")
                ? "; for gVisor give podbench's adapter, --oci-runtime /usr/local/bin/podbench-runsc (scripts/setup-debian installs it)" : ""
            throw RuntimeError("podman has no OCI runtime \(ociRuntime)", cause: "install it, or give its absolute path\(gVisor): \(found.error.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let image = options.image
        let exists = try? await configured.run(["image", "exists", image])
        if exists?.succeeded != true {
            throw RuntimeError("the probe image \(image) is not in podman",
                               cause: "podbench image build builds it from this checkout (it needs podman and the static probe's toolchain, which scripts/setup-debian installs), or give --probe-image an image podman holds")
        }
    }
}
