import Foundation
import PodbenchCore
@testable import PodbenchRuntime
import Testing

/// What the Kubernetes runtime makes of `kubectl get pods -o json`, in the shapes a kubelet
/// reports: pods that will never start, containers that never ran by the deadline, and how
/// each container ended.
@Suite struct PodStatusTests {
    func pod(_ json: String) throws -> PodList.Pod {
        try JSONDecoder().decode(PodList.Pod.self, from: Data(json.utf8))
    }

    @Test func anImagePullErrorNeverStarts() throws {
        let pulling = try pod("""
            {"metadata": {"name": "mc1-pb-1"}, "status": {"phase": "Pending", "containerStatuses": [
              {"name": "writer", "state": {"waiting": {"reason": "ErrImagePull", "message": "manifest unknown"}}},
              {"name": "reader", "state": {"waiting": {"reason": "ContainerCreating"}}}]}}
            """)
        #expect(pulling.neverStarts == "mc1-pb-1/writer: ErrImagePull: manifest unknown")
        let creating = try pod(#"{"metadata": {"name": "p"}, "status": {"phase": "Pending", "containerStatuses": [{"name": "c", "state": {"waiting": {"reason": "ContainerCreating"}}}]}}"#)
        #expect(creating.neverStarts == nil, "creating a container is not a failure yet")
    }

    @Test func anUnschedulablePodNeverStarts() throws {
        let unschedulable = try pod("""
            {"metadata": {"name": "p"}, "status": {"phase": "Pending", "conditions": [
              {"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": "0/3 nodes are available: 3 Insufficient memory."}]}}
            """)
        #expect(unschedulable.neverStarts == "p is unschedulable: 0/3 nodes are available: 3 Insufficient memory.")
    }

    /// A sandbox the node cannot make (a RuntimeClass whose handler is missing) leaves the pod
    /// creating forever: at the deadline that is the cluster's failure, with its reason.
    @Test func containersStillWaitingAtTheDeadlineNeverRan() throws {
        let sandbox = try pod("""
            {"metadata": {"name": "p"}, "status": {"phase": "Pending",
              "conditions": [{"type": "Ready", "status": "False", "reason": "ContainersNotReady", "message": "containers with unready status: [a b]"}],
              "containerStatuses": [
                {"name": "a", "state": {"waiting": {"reason": "ContainerCreating"}}},
                {"name": "b", "state": {"running": {"startedAt": "2026-11-30T10:00:00Z"}}}]}}
            """)
        #expect(sandbox.notRun(["a", "b"]) == "phase Pending: p/a: waiting (ContainerCreating); Ready ContainersNotReady: containers with unready status: [a b]")
        let unscheduled = try pod(#"{"metadata": {"name": "p"}, "status": {"phase": "Pending"}}"#)
        #expect(unscheduled.notRun(["a"]) == "phase Pending: p/a: no status")
        let ran = try pod(#"{"metadata": {"name": "p"}, "status": {"phase": "Running", "containerStatuses": [{"name": "a", "state": {"running": {}}}, {"name": "b", "state": {"terminated": {"exitCode": 0}}}]}}"#)
        #expect(ran.notRun(["a", "b"]) == nil)
    }

    @Test func endingsComeFromTheTerminatedStateAndTheDeadline() throws {
        let finished = try pod("""
            {"metadata": {"name": "p"}, "status": {"phase": "Failed", "containerStatuses": [
              {"name": "ok", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
              {"name": "bad", "state": {"terminated": {"exitCode": 1, "reason": "Error"}}},
              {"name": "hung", "state": {"running": {}}}]}}
            """)
        #expect(finished.ending(of: "ok") == .exited(0))
        #expect(finished.ending(of: "bad") == .exited(1))
        #expect(finished.ending(of: "hung") == .timedOut)
        let stopped = try pod("""
            {"metadata": {"name": "p"}, "status": {"phase": "Failed", "reason": "DeadlineExceeded", "containerStatuses": [
              {"name": "done", "state": {"terminated": {"exitCode": 0}}},
              {"name": "killed", "state": {"terminated": {"exitCode": 137, "reason": "Error"}}}]}}
            """)
        #expect(stopped.ending(of: "done") == .exited(0))
        #expect(stopped.ending(of: "killed") == .timedOut, "activeDeadlineSeconds stopped it: it ran out of time")
    }

    @Test func theRunLabelIsReadFromTheLabels() throws {
        #expect(try pod(#"{"metadata": {"name": "p", "labels": {"podbench.io/run": "pb-0000abcd"}}}"#).metadata.runLabel == "pb-0000abcd")
        #expect(try pod(#"{"metadata": {"name": "p"}}"#).metadata.runLabel == "")
    }
}
