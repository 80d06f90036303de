/// Every probe role podbench knows.
public enum ProbeCatalog {
    public static let probes: [any Probe.Type] = [
        VolumeWriterProbe.self,
        VolumeReaderProbe.self,
        VolumeMediumProbe.self,
        LockHolderProbe.self,
        LockContenderProbe.self,
        FilePublisherProbe.self,
        FileWatcherProbe.self,
        MmapPingPongProbe.self,
        SysVProducerProbe.self,
        SysVConsumerProbe.self,
        IPCServerProbe.self,
        IPCClientProbe.self,
        EchoServerProbe.self,
        EchoClientProbe.self,
        BulkReceiverProbe.self,
        BulkSenderProbe.self,
        LoopbackCaptureProbe.self,
        PortHolderProbe.self,
        PortContenderProbe.self,
        HostnameProbe.self,
        ProcessPeerProbe.self,
    ]

    public static var specs: [ProbeSpec] { probes.map { $0.spec } }

    /// Metrics computed from CLOCK_MONOTONIC stamps taken in two containers: valid only where
    /// both read one clock (one kernel, one time namespace).
    public static let oneWayMetrics: Set<MetricName> = [.sysvOneWay, .volumeWriteToVisible, .volumeWriteToVisibleInotify]

    public static func probe(role: String) -> (any Probe.Type)? {
        probes.first { $0.spec.role == role }
    }
}
