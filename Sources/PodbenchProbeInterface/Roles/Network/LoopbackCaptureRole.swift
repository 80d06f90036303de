/// The loopback-capture role: its spec and parameters.
public enum LoopbackCaptureRole {
    public static let spec = ProbeSpec(
        role: "loopback-capture",
        summary: "Captures lo with libpcap: packets of a port's exchange and request-to-reply gaps from nanosecond timestamps.",
        parameters: [port, ready, file, until, idle, duration],
        checks: [.captureExchange],
        metrics: [.captureRequestToReply]
    )
    public static let port = Parameter.integer("port", 1...65535, default: "5201", "the server's port (TCP or UDP)")
    public static let ready = Parameter.path("ready", "a file to create once capturing, inside a volume mount (the client waits for it)")
    public static let file = Parameter.optionalPath("file", "where to write the capture (pcap, nanosecond timestamps), inside a volume mount")
    public static let until = Parameter.optionalPath("until", "stop once this file exists (the client's done file), inside a volume mount")
    public static let idle = Parameter.duration("idle", default: "500ms", "without until: stop after this long without a packet, once packets came")
    public static let duration = Parameter.duration("duration", default: "20s", "stop after this long in any case", scaling: .waiting)
}

extension CheckName {
    /// The capture saw requests to the port and replies from it.
    public static let captureExchange = CheckName("capture.exchange")
}

extension MetricName {
    /// The gap from a captured request to its reply, from the packets' timestamps.
    public static let captureRequestToReply = MetricName("capture.request-to-reply")
}
