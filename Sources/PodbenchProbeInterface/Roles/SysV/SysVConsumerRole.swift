/// The sysv-consumer role (the seed's mc2 consumer): its spec.
public enum SysVConsumerRole {
    public static let spec = ProbeSpec(
        role: "sysv-consumer",
        summary: "Opens the producer's System V queue by key, reads until 'done', then echoes pings.",
        parameters: SysVQueueParameters.all,
        checks: [.sysvQueueReachable, .sysvAllConsumed, .sysvInOrder],
        metrics: [.sysvOneWay],
        pairing: SysVQueueParameters.pairing(.client)
    )
}
