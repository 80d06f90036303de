import PodbenchProbeInterface

/// The probe role bodies podbench-probe runs, one per spec of `ProbeCatalog`.
public enum ProbeTypes {
    public static let all: [any Probe.Type] = [
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

    public static func type(role: String) -> (any Probe.Type)? {
        all.first { $0.spec.role == role }
    }
}
