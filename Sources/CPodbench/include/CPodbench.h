#ifndef CPODBENCH_H
#define CPODBENCH_H

#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/vfs.h>
#include <sys/types.h>

/// The CPUs the calling thread may run on, lowest first, into `cpus` (at most `capacity`);
/// how many there are, or -1 with errno (CPU_SET and friends are macros Swift cannot call).
int podbench_allowed_cpus(int *cpus, int capacity);

/// Pins the calling thread (and the threads it starts later) to one CPU; 0, or -1 with errno.
int podbench_pin_to_cpu(int cpu);

/// The CPU the calling thread runs on, or -1.
int podbench_current_cpu(void);

/// The calling thread's involuntary context switches so far (RUSAGE_THREAD), or -1.
long podbench_involuntary_switches(void);

/// The symbolic name of an errno value (`ENOSYS`), or NULL when the C library knows none.
const char *podbench_errno_name(int code);

/// The flags of the network interface `name` in this network namespace (IFF_UP is 1), or -1
/// with errno.
int podbench_interface_flags(const char *name);

/// Opens a POSIX message queue; with `create`, creates it exclusively with room for `maxmsg`
/// messages of `msgsize` bytes (mq_open is variadic when it creates, which Swift cannot call).
mqd_t podbench_mq_open(const char *name, int oflag, int create, long maxmsg, long msgsize);

/// Opens a named POSIX semaphore; with `create`, creates it exclusively at 0 (sem_open is
/// variadic when it creates).
sem_t *podbench_sem_open(const char *name, int create);

/// flock(fd, operation): Swift sees `flock` as the record-lock struct of the same name.
int podbench_flock(int fd, int operation);

/// fcntl(fd, F_SETLK or F_SETLKW, lock): fcntl is variadic.
int podbench_fcntl_lock(int fd, int command, struct flock *lock);

/// sem_wait that notices a lost wake-up: waits a second at a time, and fails with ETIMEDOUT
/// (which sem_wait never gives) when a wait timed out though the semaphore had been posted: the
/// post did not wake this waiter, as across gVisor containers; fails with ETIME when nothing
/// was posted for `limit` seconds. 0 when taken, else -1 and errno.
int podbench_sem_wait_noticing(sem_t *semaphore, int limit);

/// Removes a System V semaphore set (semctl is variadic).
int podbench_semctl_remove(int semid);

/// The user who made a System V semaphore set (semctl is variadic): 0, or -1 with errno.
int podbench_semctl_creator(int semid, uid_t *creator);

/// An acquire load and a release store of a 64-bit word, for memory shared between processes
/// (a plain Swift load in a spin loop may be hoisted out of it).
static inline uint64_t podbench_load_acquire(const uint64_t *word) { return __atomic_load_n(word, __ATOMIC_ACQUIRE); }
static inline void podbench_store_release(uint64_t *word, uint64_t value) { __atomic_store_n(word, value, __ATOMIC_RELEASE); }

/// The node's CLOCK_MONOTONIC in nanoseconds (one clock for every container on a node).
uint64_t podbench_monotonic_ns(void);

/// Arms a deadline: when `microseconds` pass (at once for 0), writes `message` (kept by
/// reference) to stdout and exits with status 124. Async-signal-safe.
void podbench_arm_deadline(uint64_t microseconds, const char *message);

/// Sets this thread's timer slack (prctl PR_SET_TIMERSLACK, variadic in C).
int podbench_set_timer_slack(unsigned long nanoseconds);

/// Catches SIGINT, SIGTERM, SIGHUP and SIGQUIT (whatever disposition was inherited) and returns
/// the read end of a pipe that receives one byte, the signal number, per signal; SIGPIPE is
/// caught and dropped, so that a write to a closed pipe fails with EPIPE.
int podbench_interrupt_fd(void);

/// A process file descriptor for `pid` (pidfd_open): signals sent through it can never reach
/// another process that reuses the pid.
int podbench_pidfd_open(pid_t pid);

/// Sends `sig` through a process file descriptor (pidfd_send_signal).
int podbench_pidfd_kill(int pidfd, int sig);

/// A copy of another process's descriptor `fd`, through its process file descriptor
/// (pidfd_getfd); -1 with errno.
int podbench_pidfd_getfd(int pidfd, int fd);

/// Closes every descriptor from `lowest` up (close_range); 0, or -1 with errno.
int podbench_close_from(int lowest);

/// A signalfd for SIGUSR1 (close-on-exec, non-blocking), the runtime's release of a probe;
/// -1 with errno on failure. It becomes readable when the signal is pending.
int podbench_release_fd(void);

/// Polls `first` for POLLIN and `second` for `events` (either may be -1) for up to
/// `nanoseconds`, resuming after signals: 1 when `first` is ready, 2 when `second` is (it
/// wins a tie), 0 when the time ran out, -1 with errno on failure.
int podbench_poll_either(int first, int second, short events, unsigned long long nanoseconds);

/// Opens an unnamed regular file in `directory` (O_TMPFILE, read-write, mode 0600), to link
/// into the directory later; -1 with errno where the file system has none.
int podbench_open_unnamed(const char *directory);

#endif
