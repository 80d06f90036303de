import CPodbench
import Foundation
import PodbenchCore
import PodbenchProbeInterface

/// The IPC objects a scenario's probes make in the host's IPC namespace, which a probe killed
/// mid-run (a timeout, Ctrl-C) would leave there: on the host runtime no pod's namespace ends
/// with them. Removed after each scenario: a System V object only when it is there with the
/// scenario's key and was made (or changed) by this user since the scenario began, a POSIX one
/// by its podbench name (`/podbench-KEY...`).
struct HostIPCLeftovers: Sendable {
    let keys: [Int]
    let since: time_t

    init(_ scenario: Scenario, since: Date) {
        let containers = scenario.pods.flatMap(\.containers)
        keys = Array(Set(containers.compactMap { container -> Int? in
            guard let key = ProbeCatalog.spec(role: container.probe)?.parameter(named: IPCChannelKind.key.spec.name) else { return nil }
            return container.value(of: key).flatMap(ParameterSpec.integer)
        })).sorted()
        self.since = time_t(since.timeIntervalSince1970)
    }

    func remove() {
        for key in keys {
            removeSystemV(key)
            shm_unlink(IPCChannelKind.posixName(key))
            let pair = IPCChannelKind.posixPair(key)
            for name in [pair.ping, pair.pong] {
                mq_unlink(name)
                sem_unlink(name)
            }
        }
    }

    private func removeSystemV(_ key: Int) {
        let owner = geteuid()
        var queue = msqid_ds()
        let queueID = msgget(key_t(key), 0)
        if queueID >= 0, msgctl(queueID, IPC_STAT, &queue) == 0, queue.msg_perm.cuid == owner, queue.msg_ctime >= since {
            _ = msgctl(queueID, IPC_RMID, nil)
        }
        var segment = shmid_ds()
        let segmentID = shmget(key_t(key), 0, 0)
        if segmentID >= 0, shmctl(segmentID, IPC_STAT, &segment) == 0, segment.shm_perm.cuid == owner, segment.shm_ctime >= since {
            _ = shmctl(segmentID, IPC_RMID, nil)
        }
        let semaphoresID = semget(key_t(key), 0, 0)
        if semaphoresID >= 0, podbench_semctl_made_since(semaphoresID, owner, since) == 1 {
            _ = podbench_semctl_remove(semaphoresID)
        }
    }
}
