/// The hostname role: its spec and parameters.
public enum HostnameRole {
    public static let spec = ProbeSpec(
        role: "hostname",
        summary: "Checks the container's hostname against a pod's name (the UTS namespace).",
        parameters: [name, Sharing.parameter, NamespaceIdentity.holdParameter],
        checks: [.utsHostname],
        staysForOthers: true
    )
    public static let name = Parameter.name("name", "the pod's name, which the hostname must be (shared) or must not be (isolated)")
}

extension CheckName {
    public static let utsHostname = CheckName("uts.hostname")
}
