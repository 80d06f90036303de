import Foundation

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
    }

    struct Status: Decodable {
        var phase: String?
        var conditions: [Condition]?
        var containerStatuses: [ContainerStatus]?
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
        var terminated: Terminated?
    }

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
}
