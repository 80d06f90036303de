/// Open-loop latency, as wrk2 and sockperf's under-load mode measure it: with `rate`, a
/// client's requests leave on a fixed schedule, and each one's latency counts from when it was
/// due to leave, not from when it left. A stall then shows as the latency of every request that
/// waited behind it (coordinated omission corrected), where a closed loop, sending the next
/// request only when the answer came, would record one slow sample. Without `rate`, closed loop.
public enum OpenLoop {
    public static let rate = Parameter.optionalRate("rate", 1...1_000_000, "open loop: requests are due at this rate (20000/s) and each one's latency counts from when it was due; closed loop without it")

    /// The share of the asked rate a client must achieve to have kept it.
    public static let keptShare = 0.95

    /// The client kept the asked rate.
    public static func rateCheck(_ family: String) -> CheckName { CheckName("\(family).rate") }

    /// The open-loop twin of a closed-loop round-trip metric (another quantity: from when a
    /// request was due).
    public static func metric(_ closedLoop: MetricName) -> MetricName { MetricName(closedLoop.text + "-open-loop") }
}
