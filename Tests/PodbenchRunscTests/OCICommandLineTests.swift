import Foundation
import PodbenchRunsc
import Testing

@Suite struct OCICommandLineTests {
    /// As containerd's runc shim calls it.
    @Test func aShimsCreateIsParsed() {
        let line = OCICommandLine(["--root", "/run/containerd/runc/k8s.io", "--log", "/run/x/log.json", "--log-format", "json", "create", "--bundle", "/run/b", "--pid-file", "/run/b/init.pid", "abc123"])
        #expect(line.global == ["--root", "/run/containerd/runc/k8s.io", "--log", "/run/x/log.json", "--log-format", "json"])
        #expect(line.command == "create")
        #expect(line.value(of: "--bundle", "-b") == "/run/b")
        #expect(line.value(of: "--pid-file") == "/run/b/init.pid")
        #expect(line.containerID == "abc123")
    }

    /// As podman's conmon calls it: `=` values, boolean flags.
    @Test func conmonsFormsAreParsed() {
        let line = OCICommandLine(["--systemd-cgroup", "--root=/run/runsc", "create", "--bundle=/b", "--pid-file=/b/pid", "--no-pivot", "id-1"])
        #expect(line.global == ["--systemd-cgroup", "--root=/run/runsc"])
        #expect(line.value(of: "--bundle") == "/b")
        #expect(line.containerID == "id-1")
    }

    /// `kill ID SIGNAL`: the ID is the first argument, not the signal.
    @Test func killNamesItsContainerFirst() {
        #expect(OCICommandLine(["--root", "/r", "kill", "--all", "c1", "9"]).containerID == "c1")
        #expect(OCICommandLine(["kill", "c2", "KILL"]).containerID == "c2")
    }

    /// A global flag's value that reads like a command is a value.
    @Test func aValueNamedLikeACommandIsAValue() {
        let line = OCICommandLine(["--root", "start", "state", "c3"])
        #expect(line.global == ["--root", "start"])
        #expect(line.command == "state")
        #expect(line.containerID == "c3")
    }

    @Test func noCommandPassesThrough() {
        #expect(OCICommandLine(["--version"]).command == nil)
    }
}

@Suite struct BundleSpecTests {
    static let spec = """
        {"annotations": {"io.kubernetes.cri.container-type": "container",
                         "dev.gvisor.spec.mount.b.source": "/var/pod/b", "dev.gvisor.spec.mount.b.type": "tmpfs",
                         "dev.gvisor.spec.mount.b.share": "pod"},
         "mounts": [{"destination": "/b", "type": "bind", "source": "/var/pod/b", "options": ["rbind", "rprivate", "rw"]},
                    {"destination": "/c", "type": "bind", "source": "/var/pod/c", "options": ["rbind"]}]}
        """

    @Test func anAppContainerJoinsItsSandboxAndThePauseDoesNot() throws {
        #expect(try BundleSpec(json: Data(Self.spec.utf8)).joinsASandbox)
        #expect(try BundleSpec(json: Data(#"{"annotations": {"io.kubernetes.cri.container-type": "sandbox"}}"#.utf8)).joinsASandbox == false)
        #expect(try BundleSpec(json: Data(#"{"annotations": {"io.kubernetes.cri-o.ContainerType": "container"}}"#.utf8)).joinsASandbox)
        #expect(try BundleSpec(json: Data("{}".utf8)).joinsASandbox == false)
    }

    /// The hinted source's bind mount takes the hinted type, without its bind options; others
    /// stay as they were.
    @Test func mountHintsChangeTheHintedMountOnly() throws {
        var spec = try BundleSpec(json: Data(Self.spec.utf8))
        let changed = spec.applyMountHints()
        #expect(changed)
        let mounts = try #require(spec.object["mounts"] as? [[String: Any]])
        #expect(mounts[0]["type"] as? String == "tmpfs")
        #expect(mounts[0]["options"] as? [String] == ["rw"])
        #expect(mounts[1]["type"] as? String == "bind")
        #expect(mounts[1]["options"] as? [String] == ["rbind"])
        var plain = try BundleSpec(json: Data(#"{"mounts": [{"type": "bind", "source": "/x"}]}"#.utf8))
        let plainChanged = plain.applyMountHints()
        #expect(plainChanged == false)
    }

    @Test func notAnObjectIsAnError() {
        #expect(throws: AdapterError.self) { try BundleSpec(json: Data("[]".utf8)) }
    }
}
