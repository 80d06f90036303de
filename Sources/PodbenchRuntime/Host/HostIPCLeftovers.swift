import CPodbench
import Foundation
import PodbenchCore
import PodbenchProbeInterface

/// The IPC objects a scenario's probes make in the host's IPC namespace, which a probe killed
/// mid-run (a timeout, Ctrl-C) would leave there: on the host runtime no pod's namespace ends
/// with them. Removed after each scenario: a System V object only when it has the scenario's
/// key, was made by this user and was not there before the scenario (its identifier, which the
/// kernel never hands out twice in a row for a key, is not one seen then), a POSIX one by its
/// podbench name (`/podbench-KEY...`). No clock is compared: an object's times are the kernel's
/// coarse seconds, which can lag the clock podbench reads.
struct HostIPCLeftovers: Sendable {
    /// The System V objects of one key: a queue, a segment, a semaphore set (nil: none).
    private struct SystemVObjects: Sendable {
        var queue, segment, semaphores: Int32?

        init(_ key: Int) {
            let key = key_t(key)
            queue = Self.present(msgget(key, 0))
            segment = Self.present(shmget(key, 0, 0))
            semaphores = Self.present(semget(key, 0, 0))
        }

        private static func present(_ id: Int32) -> Int32? { id >= 0 ? id : nil }
    }

    private let before: [Int: SystemVObjects]

    /// Notes the objects already there with the scenario's keys; call before its probes start.
    init(_ scenario: Scenario) {
        let containers = scenario.pods.flatMap(\.containers)
        let keys = Set(containers.compactMap { container -> Int? in
            guard let key = ProbeCatalog.spec(role: container.probe)?.parameter(named: IPCChannelKind.key.spec.name) else { return nil }
            return container.value(of: key).flatMap(ParameterSpec.integer)
        })
        before = Dictionary(uniqueKeysWithValues: keys.map { ($0, SystemVObjects($0)) })
    }

    func remove() {
        for (key, before) in before {
            removeSystemV(SystemVObjects(key), unless: before)
            shm_unlink(IPCChannelKind.posixName(key))
            shm_unlink(IPCChannelKind.failureName(key))
            let pair = IPCChannelKind.posixPair(key)
            for name in [pair.ping, pair.pong] {
                mq_unlink(name)
                sem_unlink(name)
            }
        }
    }

    private func removeSystemV(_ now: SystemVObjects, unless before: SystemVObjects) {
        let owner = geteuid()
        if let id = now.queue, id != before.queue {
            var queue = msqid_ds()
            if msgctl(id, IPC_STAT, &queue) == 0, queue.msg_perm.cuid == owner { _ = msgctl(id, IPC_RMID, nil) }
        }
        if let id = now.segment, id != before.segment {
            var segment = shmid_ds()
            if shmctl(id, IPC_STAT, &segment) == 0, segment.shm_perm.cuid == owner { _ = shmctl(id, IPC_RMID, nil) }
        }
        if let id = now.semaphores, id != before.semaphores {
            var creator: uid_t = 0
            if podbench_semctl_creator(id, &creator) == 0, creator == owner { _ = podbench_semctl_remove(id) }
        }
    }
}
