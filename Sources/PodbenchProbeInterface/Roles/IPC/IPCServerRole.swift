/// The ipc-server role: its spec and parameters.
public enum IPCServerRole {
    public static let spec = ProbeSpec(
        role: "ipc-server",
        summary: "Creates an IPC channel (SysV or POSIX queue, SysV or POSIX shared memory) and answers pings.",
        parameters: [IPCChannelKind.parameter, IPCChannelKind.key, IPCChannelKind.size, Sharing.parameter,
                     wait] + Placement.parameters,
        checks: IPCChannelKind.allCases.map(\.served),
        staysForOthers: true,
        checkSelection: CheckSelection(IPCChannelKind.parameter) { [$0.served] },
        pairing: IPCChannelKind.pairing(.server)
    )
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the client", scaling: .waiting)
}
