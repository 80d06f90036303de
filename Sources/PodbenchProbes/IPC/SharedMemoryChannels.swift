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

    static func open(key: Int, size: Int) -> Opening<Self> {
        let keyText = ipcKey(key)
        // Asking for read and write checks them now (EACCES), not at the first attach.
        let memory = shmget(key_t(key), 0, 0o600)
        guard memory >= 0 else { return .failed("shmget(\(keyText))", errno) }
        // The server makes the semaphores after the segment.
        let semaphores = semget(key_t(key), 0, 0o600)
        guard semaphores >= 0 else { return .failed("semget(\(keyText))", errno) }
        var info = shmid_ds()
        guard shmctl(memory, IPC_STAT, &info) == 0 else { return .failed("shmctl(\(keyText), IPC_STAT)", errno) }
        // A segment smaller than this end's messages would fault.
        guard info.shm_segsz >= size else { return .refused("the segment of key \(keyText) has \(info.shm_segsz) bytes, fewer than the \(size) of this client's messages", exists: true) }
        guard let channel = attach(memory, semaphores, size) else { return .failed("shmat(\(keyText))", errno) }
        return .opened(channel)
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
        guard ftruncate(fd, off_t(size)) == 0 else {
            let error = systemError("ftruncate \(IPCChannelKind.posixName(key)) to \(size) bytes")
            shm_unlink(IPCChannelKind.posixName(key))
            throw error
        }
        switch map(fd, key: key, size: size, create: true) {
        case .opened(let channel): return channel
        case .absent(let why), .refused(let why, _):
            shm_unlink(IPCChannelKind.posixName(key))
            throw .failed(why)
        }
    }

    static func open(key: Int, size: Int) -> Opening<Self> {
        let name = IPCChannelKind.posixName(key)
        let fd = shm_open(name, O_RDWR | O_CLOEXEC, 0)
        guard fd >= 0 else { return .failed("shm_open \(name)", errno) }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failed("fstat \(name)", errno) }
        // Made but not sized yet; then sized smaller than this end's messages, which would fault.
        guard info.st_size > 0 else { return .absent("\(name) is there, not yet sized by the server") }
        guard info.st_size >= size else { return .refused("\(name) has \(info.st_size) bytes, fewer than the \(size) of this client's messages", exists: true) }
        return map(fd, key: key, size: size, create: false)
    }

    /// Maps the slot and opens (or makes) the semaphores; the failed call and its errno.
    private static func map(_ fd: Int32, key: Int, size: Int, create: Bool) -> Opening<Self> {
        guard let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), address != MAP_FAILED else { return .failed("mmap \(IPCChannelKind.posixName(key))", errno) }
        let names = IPCChannelKind.posixPair(key)
        guard let ping = podbench_sem_open(names.ping, create ? 1 : 0), ping != SEM_FAILED else {
            let code = errno
            munmap(address, size)
            return .failed("sem_open \(names.ping)", code)
        }
        guard let pong = podbench_sem_open(names.pong, create ? 1 : 0), pong != SEM_FAILED else {
            let code = errno
            sem_close(ping)
            if create { sem_unlink(names.ping) }
            munmap(address, size)
            return .failed("sem_open \(names.pong)", code)
        }
        return .opened(Self(slot: address, size: size, key: key, pingSemaphore: ping, pongSemaphore: pong))
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
