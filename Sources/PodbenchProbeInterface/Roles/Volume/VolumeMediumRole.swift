/// The volume-medium role: its spec, parameters, checks.
public enum VolumeMediumRole {
    public static let spec = ProbeSpec(
        role: "volume-medium",
        summary: "Checks with statfs that a volume is tmpfs (medium Memory) or not (disk).",
        parameters: [path, medium, NamespaceIdentity.holdParameter],
        checks: [.volumeMedium],
        staysForOthers: true
    )
    public static let path = Parameter.path("path", "a directory inside the volume mount")
    public static let medium = Parameter<Medium>.choice("medium", default: nil, "memory: the volume must be tmpfs; disk: it must not be")

    /// The volume's medium, as the scenario declares it.
    public enum Medium: String, CaseIterable, Sendable {
        case memory, disk
    }
}

extension CheckName {
    public static let volumeMedium = CheckName("volume.medium")
}
