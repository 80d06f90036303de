import Foundation
import PodbenchCore

/// What `kubectl get pods -o json` says of podbench's pods: just the fields the runtime reads.
struct PodList: Decodable {
    var items: [Pod]

    struct Pod: Decodable {
        var metadata: Metadata
        var spec: Spec?
        var status: Status?
    }

    struct Spec: Decodable {
        var nodeName: String?
    }

    struct Metadata: Decodable {
        var name: String
        var labels: [String: String]?

        /// The pod's `podbench.io/run` label; empty when it has none.
        var runLabel: String { labels?[PodbenchLabel.run.rawValue] ?? "" }
    }

    struct Status: Decodable {
        var phase: String?
        /// Why the pod is in its phase; `DeadlineExceeded` when activeDeadlineSeconds stopped it.
        var reason: String?
        var conditions: [Condition]?
        var containerStatuses: [ContainerStatus]?
        /// The address the cluster gave the pod, once it has one.
        var podIP: String?
    }

    struct Condition: Decodable {
        var type: String
        var status: String
        var reason: String?
        var message: String?
    }

    struct ContainerStatus: Decodable {
        var name: String
        var state: State?
    }

    struct State: Decodable {
        var waiting: Waiting?
        var running: Running?
        var terminated: Terminated?
    }

    struct Running: Decodable {}

    struct Waiting: Decodable {
        var reason: String?
        var message: String?
    }

    struct Terminated: Decodable {
        var exitCode: Int32
        var reason: String?
    }
}

extension PodList.Pod {
    /// Every container has ended (the pod is Succeeded or Failed).
    var finished: Bool {
        status?.phase == "Succeeded" || status?.phase == "Failed"
    }

    /// Why the pod will never run, when that is so: the image cannot be pulled, the pod cannot
    /// be scheduled, or its configuration is refused. Infrastructure, not a verdict.
    var neverStarts: String? {
        let stuck: Set<String> = ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "RunContainerError"]
        for container in status?.containerStatuses ?? [] {
            if let waiting = container.state?.waiting, let reason = waiting.reason, stuck.contains(reason) {
                return "\(metadata.name)/\(container.name): \(reason)" + (waiting.message.map { ": \($0)" } ?? "")
            }
        }
        if let unschedulable = status?.conditions?.first(where: { $0.type == "PodScheduled" && $0.status == "False" && $0.reason == "Unschedulable" }) {
            return "\(metadata.name) is unschedulable" + (unschedulable.message.map { ": \($0)" } ?? "")
        }
        return nil
    }

    /// Why some of `containers` never ran, when that is so: no status yet (the pod was never
    /// scheduled or its sandbox never made), or still waiting; with the pod's last word on it.
    func notRun(_ containers: [String]) -> String? {
        let statuses = status?.containerStatuses ?? []
        let waiting = containers.compactMap { name -> String? in
            guard let state = statuses.first(where: { $0.name == name })?.state else { return "\(metadata.name)/\(name): no status" }
            guard state.running == nil, state.terminated == nil else { return nil }
            return "\(metadata.name)/\(name): waiting" + (state.waiting?.reason.map { " (\($0)" + (state.waiting?.message.map { ": \($0)" } ?? "") + ")" } ?? "")
        }
        guard !waiting.isEmpty else { return nil }
        let condition = status?.conditions?.first { $0.status == "False" && ($0.reason != nil || $0.message != nil) }
        let why = condition.map { "; \($0.type) \($0.reason ?? "")" + ($0.message.map { ": \($0)" } ?? "") } ?? ""
        return "phase \(status?.phase ?? "unknown"): " + waiting.joined(separator: ", ") + why
    }

    /// How a container ended: its exit code once terminated; a container still running, or one
    /// that Kubernetes stopped at the pod's activeDeadlineSeconds, ran out of time.
    func ending(of container: String) -> ContainerOutcome.Ending {
        guard let terminated = status?.containerStatuses?.first(where: { $0.name == container })?.state?.terminated else { return .timedOut }
        if status?.reason == "DeadlineExceeded" && terminated.exitCode != 0 { return .timedOut }
        return .exited(terminated.exitCode)
    }
}
