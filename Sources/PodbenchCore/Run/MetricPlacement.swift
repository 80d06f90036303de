import PodbenchProbeInterface

/// Where the ends of a measurement between containers ran, judged from what each end
/// reported: part of its metrics' identity, so that like is compared with like.
public struct MetricPlacement: Codable, Sendable, Equatable {
    /// The placement the ends had: pinned to one CPU, each to its own, or free.
    public var placement: Placement
    /// Why it is not the placement asked for (one CPU only, affinity refused, containers whose
    /// CPUs differ), or nil.
    public var note: String?
    /// Each end (`pod/container`) and the CPUs it ran on.
    public var sides: [Side]

    public struct Side: Codable, Sendable, Equatable {
        public var container: String
        public var cpu: CPUUse

        public init(container: String, cpu: CPUUse) {
            self.container = container
            self.cpu = cpu
        }
    }

    /// The placement the ends had, from their reports; nil without any.
    public init?(sides: [Side]) {
        guard let asked = sides.first?.cpu.asked else { return nil }
        self.sides = sides
        let pinned = sides.compactMap(\.cpu.pinned)
        if pinned.count < sides.count {
            placement = .free
            let reasons = sides.compactMap { side in side.cpu.unpinned.map { "\(side.container): \($0)" } }
            note = reasons.isEmpty ? nil : reasons.joined(separator: "; ")
        } else if Set(pinned).count == 1 {
            placement = .sameCPU
        } else if Set(pinned).count == pinned.count {
            placement = .crossCPU
        } else {
            placement = .free
        }
        let asks = sides.map(\.cpu.asked.rawValue).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if asks.count > 1, note == nil {
            note = "the ends asked for " + asks.joined(separator: " and ")
        } else if placement != asked, note == nil {
            note = "asked for \(asked.rawValue), the ends were pinned to CPUs " + pinned.map(String.init).joined(separator: ", ")
        }
    }

    /// Each end's CPUs and preemptions, for reports: `p/server CPU 0 (2 preempted), p/client CPU 1 (0 preempted)`.
    public var summary: String {
        sides.map { side in
            let cpus = side.cpu.ran.map(String.init).joined(separator: ", ")
            let moves = side.cpu.pinned == nil ? side.cpu.migrations.map { ", \($0) migrated" } ?? "" : ""
            return "\(side.container) CPU\(side.cpu.ran.count == 1 ? "" : "s") \(cpus) (\(side.cpu.involuntarySwitches) preempted\(moves))"
        }.joined(separator: ", ")
    }
}
