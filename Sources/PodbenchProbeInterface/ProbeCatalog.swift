/// Every probe role podbench knows, by its spec: what the scenario loader validates against and
/// the reports name. The bodies are in PodbenchProbes, which the host does not link.
public enum ProbeCatalog {
    public static let specs: [ProbeSpec] = [
        VolumeWriterRole.spec,
        VolumeReaderRole.spec,
        VolumeMediumRole.spec,
        LockHolderRole.spec,
        LockContenderRole.spec,
        FilePublisherRole.spec,
        FileWatcherRole.spec,
        MmapPingPongRole.spec,
        SysVProducerRole.spec,
        SysVConsumerRole.spec,
        IPCServerRole.spec,
        IPCClientRole.spec,
        EchoServerRole.spec,
        EchoClientRole.spec,
        BulkReceiverRole.spec,
        BulkSenderRole.spec,
        LoopbackCaptureRole.spec,
        PortHolderRole.spec,
        PortContenderRole.spec,
        HostnameRole.spec,
        ProcessPeerRole.spec,
    ]

    /// Metrics computed from CLOCK_MONOTONIC stamps taken in two containers: valid only where
    /// both read one clock (one kernel, one time namespace).
    public static let oneWayMetrics: Set<MetricName> = [.sysvOneWay, .volumeWriteToVisible, .volumeWriteToVisibleInotify]

    public static func spec(role: String) -> ProbeSpec? {
        specs.first { $0.role == role }
    }
}
