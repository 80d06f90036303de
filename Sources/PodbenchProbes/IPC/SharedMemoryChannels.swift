import PodbenchProbeInterface
import CPodbench

/// A message slot in shared memory and two semaphores: the client writes the slot and posts
/// "ping"; the server waits, reads the slot where it is, writes its reply there and posts
/// "pong". The slot is the message: nothing is copied.
protocol SharedSlotChannel: IPCChannel {
    var slot: UnsafeMutableRawPointer { get }
    func post(_ semaphore: Int) -> Bool
    func wait(_ semaphore: Int, blocking: Bool) -> Bool
}

extension SharedSlotChannel {
    var message: UnsafeMutableRawPointer { slot }
    func ping() -> Bool { post(0) }
    func receivePing(wait blocking: Bool) -> Bool { wait(0, blocking: blocking) }
    func pong() -> Bool { post(1) }
    func receivePong() -> Bool { wait(1, blocking: true) }
}

/// System V shared memory (`shmget`) and a System V semaphore set of two, by key.
struct SysVSharedMemoryChannel: SharedSlotChannel {
    let memory: Int32
    let semaphores: Int32
    let slot: UnsafeMutableRawPointer
    let size: Int

    static func create(key: Int, size: Int) throws(ProbeError) -> Self {
        let memory = shmget(key_t(key), size, IPC_CREAT | IPC_EXCL | 0o600)
        guard memory >= 0 else { throw systemError("shmget") }
        // Linux starts new semaphores at 0.
        let semaphores = semget(key_t(key), 2, IPC_CREAT | IPC_EXCL | 0o600)
        guard semaphores >= 0 else {
            shmctl(memory, IPC_RMID, nil)
            throw systemError("semget")
        }
        guard let channel = attach(memory, semaphores, size) else {
            shmctl(memory, IPC_RMID, nil)
            _ = podbench_semctl_remove(semaphores)
            throw systemError("shmat")
        }
        return channel
    }

    static func open(key: Int, size: Int) -> Self? {
        let memory = shmget(key_t(key), 0, 0)
        let semaphores = semget(key_t(key), 0, 0)
        guard memory >= 0, semaphores >= 0 else { return nil }
        // A segment smaller than this end's messages would fault: treat it as not there.
        var info = shmid_ds()
        guard shmctl(memory, IPC_STAT, &info) == 0, info.shm_segsz >= size else { return nil }
        return attach(memory, semaphores, size)
    }

    private static func attach(_ memory: Int32, _ semaphores: Int32, _ size: Int) -> Self? {
        guard let address = shmat(memory, nil, 0), address != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        return Self(memory: memory, semaphores: semaphores, slot: address, size: size)
    }

    static let sendCall = "semop"
    static let receiveCall = "semop"

    func post(_ semaphore: Int) -> Bool {
        var operation = sembuf(sem_num: UInt16(semaphore), sem_op: 1, sem_flg: 0)
        return semop(semaphores, &operation, 1) == 0
    }

    func wait(_ semaphore: Int, blocking: Bool) -> Bool {
        var operation = sembuf(sem_num: UInt16(semaphore), sem_op: -1, sem_flg: blocking ? 0 : Int16(IPC_NOWAIT))
        while semop(semaphores, &operation, 1) != 0 { if errno != EINTR { return false } }
        return true
    }

    func close() { shmdt(slot) }

    func remove() {
        shmctl(memory, IPC_RMID, nil)
        _ = podbench_semctl_remove(semaphores)
    }
}

/// POSIX shared memory (`/dev/shm/podbench-KEY`) and two named POSIX semaphores.
struct POSIXSharedMemoryChannel: SharedSlotChannel {
    let slot: UnsafeMutableRawPointer
    let size: Int
    let key: Int
    let pingSemaphore: UnsafeMutablePointer<sem_t>
    let pongSemaphore: UnsafeMutablePointer<sem_t>

    static func create(key: Int, size: Int) throws(ProbeError) -> Self {
        let fd = shm_open(IPCChannelKind.posixName(key), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw systemError("shm_open \(IPCChannelKind.posixName(key))") }
        defer { Glibc.close(fd) }
        guard ftruncate(fd, off_t(size)) == 0, let channel = map(fd, key: key, size: size, create: true) else {
            let error = systemError("ftruncate, mmap or sem_open")
            shm_unlink(IPCChannelKind.posixName(key))
            throw error
        }
        return channel
    }

    static func open(key: Int, size: Int) -> Self? {
        let fd = shm_open(IPCChannelKind.posixName(key), O_RDWR | O_CLOEXEC, 0)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= size else { return nil }
        return map(fd, key: key, size: size, create: false)
    }

    private static func map(_ fd: Int32, key: Int, size: Int, create: Bool) -> Self? {
        guard let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), address != MAP_FAILED else { return nil }
        let names = IPCChannelKind.posixPair(key)
        guard let ping = podbench_sem_open(names.ping, create ? 1 : 0), ping != SEM_FAILED else {
            munmap(address, size)
            return nil
        }
        guard let pong = podbench_sem_open(names.pong, create ? 1 : 0), pong != SEM_FAILED else {
            sem_close(ping)
            if create { sem_unlink(names.ping) }
            munmap(address, size)
            return nil
        }
        return Self(slot: address, size: size, key: key, pingSemaphore: ping, pongSemaphore: pong)
    }

    /// Seconds a blocking wait lasts while nothing is posted: a round trip, never a start-up.
    static let longestWait = 10
    static let sendCall = "sem_post"
    static let receiveCall = "sem_wait"

    /// A wait's own failures (podbench_sem_wait_noticing), else the call and its errno.
    static func failure(sending: Bool, _ code: Int32) -> String {
        switch (sending, code) {
        case (false, ETIMEDOUT): "the other container's sem_post reached the semaphore but did not wake this container's sem_wait (wake-ups do not cross the containers)"
        case (false, ETIME): "nothing was posted to the semaphore for \(longestWait)s"
        default: "\(sending ? sendCall : receiveCall) failed: \(errnoText(code))"
        }
    }

    func post(_ semaphore: Int) -> Bool {
        sem_post(semaphore == 0 ? pingSemaphore : pongSemaphore) == 0
    }

    func wait(_ semaphore: Int, blocking: Bool) -> Bool {
        let target = semaphore == 0 ? pingSemaphore : pongSemaphore
        if !blocking { return sem_trywait(target) == 0 }
        return podbench_sem_wait_noticing(target, Int32(Self.longestWait)) == 0
    }

    func close() {
        sem_close(pingSemaphore)
        sem_close(pongSemaphore)
        munmap(slot, size)
    }

    func remove() {
        let names = IPCChannelKind.posixPair(key)
        shm_unlink(IPCChannelKind.posixName(key))
        sem_unlink(names.ping)
        sem_unlink(names.pong)
    }
}

import Glibc
