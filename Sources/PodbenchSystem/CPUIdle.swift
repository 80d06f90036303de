/// How the idle CPUs of a run's machine wait, which decides what waking the other end of a
/// measurement costs: on a virtual machine, a halted CPU wakes through the hypervisor, and a
/// round trip across CPUs then measures that (50-70 us here) more than its channel (5-15 us).
public enum CPUIdle: String, CaseIterable, Sendable, Codable {
    /// The kernel's PM QoS CPU latency held at 0 us for the run (`/dev/cpu_dma_latency`, as
    /// cyclictest does): an idle CPU polls instead of entering an idle state.
    case poll
    /// The machine's own idle states, as configured.
    case system

    /// What `podbench run` asks for unless told.
    public static let standard = CPUIdle.poll
}
