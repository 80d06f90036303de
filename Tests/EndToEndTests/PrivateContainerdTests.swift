import Foundation
import Testing

/// scripts/private-containerd says which runtime handlers it configured and why one is left
/// out, and `restart` picks up a handler installed since, keeping the images.
extension CRIPodTests {
@Suite struct PrivateContainerdTests {
    @Test(.enabled(if: GVisor.isInstalled, "needs runsc and podbench-runsc"))
    func aMissingAdapterIsSaidAndARestartPicksItUpKeepingTheImages() async throws {
        let directory = "/run/podbench-restart-test-\(UUID().uuidString.prefix(8))"
        let script = repository.appendingPathComponent("scripts/private-containerd").path
        var environment = ["PODBENCH_CONTAINERD": directory, "PODBENCH_CONTAINERD_BRIDGE": "podbench-cri9", "PODBENCH_CONTAINERD_SUBNET": "10.237.9.0/24",
                           "PODBENCH_RUNSC_ADAPTER": "/nonexistent/podbench-runsc", "PODBENCH_TEST_HANDLERS": ""]
        defer { _ = try? TestContainerd.spawnAndWait(script, ["stop"], environment: environment) }
        let (started, said) = try TestContainerd.spawnAndWait(script, ["start"], environment: environment)
        try #require(started == 0, "\(said)")
        #expect(said.contains("runsc (gVisor) left out: podbench-runsc, podbench's adapter, is missing; scripts/setup-debian installs it"), "\(said)")
        #expect(said.contains("runtime handlers runc\n"), "\(said)")
        let endpoint = "unix://\(directory)/containerd.sock"
        let probe = repository.appendingPathComponent(".build/static/release/podbench-probe").path
        let load = try await podbenchRun(["image", "build", "--probe", probe, "--into", "containerd", "--cri-endpoint", endpoint])
        try #require(load.status == 0, "\(load.output)\(load.error)")
        let scratch = try Scratch()
        let db = scratch.url.appendingPathComponent("r.sqlite").path
        let before = try await podbenchRun(["run", "ipc-sysv-msg", "--runtime", "cri", "--cri-endpoint", endpoint, "--runtime-handler", "runsc", "--db", db])
        #expect(before.status == 3 && before.error.contains("has no runtime handler runsc (it has runc)") && before.error.contains("scripts/setup-debian installs runsc and podbench-runsc"), "\(before.error)")

        environment["PODBENCH_RUNSC_ADAPTER"] = GVisor.adapter
        let (restarted, told) = try TestContainerd.spawnAndWait(script, ["restart"], environment: environment)
        try #require(restarted == 0, "\(told)")
        #expect(told.contains("runtime handlers runc, runsc (through \(GVisor.adapter ?? ""))"), "\(told)")
        // The handler is there and so are the images: the run gets past its checks.
        let after = try await podbenchRun(["run", "ipc-sysv-msg", "--runtime", "cri", "--cri-endpoint", endpoint, "--runtime-handler", "runsc", "--db", db])
        #expect(after.status == 0, "\(after.output)\(after.error)")
    }
}
}
