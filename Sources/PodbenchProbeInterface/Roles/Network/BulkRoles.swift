/// The bulk-receiver role: its spec and parameters.
public enum BulkReceiverRole {
    public static let spec = ProbeSpec(
        role: "bulk-receiver",
        summary: "Drains a bulk stream (TCP, abstract or Unix socket) and acknowledges the byte count.",
        parameters: [BulkTransport.parameter, Transport.port, Transport.path, wait] + Placement.parameters,
        checks: [.bulkReceived]
    )
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the sender", scaling: .waiting)
}

/// The bulk-sender role: its spec and parameters.
public enum BulkSenderRole {
    public static let spec = ProbeSpec(
        role: "bulk-sender",
        summary: "Sends a bulk stream to the receiver and measures MB/s up to its acknowledgement.",
        parameters: [BulkTransport.parameter, Transport.port, Transport.path, bytes, wait] + Placement.parameters,
        checks: [.bulkThroughput],
        throughputs: [.bulkThroughput]
    )
    public static let bytes = Parameter.integer("bytes", 1...(1 << 40), default: "268435456", "how many bytes to send")
    public static let wait = Parameter.duration("wait", default: "20s", "how long to wait for the receiver", scaling: .waiting)
}

extension CheckName {
    /// The receiver got a stream of some bytes.
    public static let bulkReceived = CheckName("bulk.received")
    /// The receiver acknowledged every byte sent.
    public static let bulkThroughput = CheckName("bulk.throughput")
}

extension MetricName {
    /// The sender's throughput in MB/s, up to the receiver's acknowledgement.
    public static let bulkThroughput = MetricName("bulk.throughput")
}

/// The stream transports a bulk stream goes over.
public enum BulkTransport: String, CaseIterable, Sendable {
    case tcp, tcp6, abstract, unix

    public static let parameter = Parameter<BulkTransport>.choice("transport", default: .tcp, "a stream transport: tcp, tcp6, abstract or unix (at path)")
}
