#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "CPodbench.h"

const char *podbench_errno_name(int code) {
    return strerrorname_np(code);
}

int podbench_sem_wait_noticing(sem_t *semaphore, int limit) {
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += 1;
    for (int waited = 1;; waited++) {
        if (sem_clockwait(semaphore, CLOCK_MONOTONIC, &deadline) == 0) return 0;
        if (errno == EINTR) continue;
        if (errno != ETIMEDOUT) return -1;
        int value = 0;
        if (sem_getvalue(semaphore, &value) == 0 && value > 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        if (waited >= limit) {
            errno = ETIME;
            return -1;
        }
        deadline.tv_sec += 1;
    }
}

mqd_t podbench_mq_open(const char *name, int oflag, int create, long maxmsg, long msgsize) {
    if (!create) return mq_open(name, oflag);
    struct mq_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.mq_maxmsg = maxmsg;
    attr.mq_msgsize = msgsize;
    return mq_open(name, oflag | O_CREAT | O_EXCL, 0600, &attr);
}

sem_t *podbench_sem_open(const char *name, int create) {
    if (!create) return sem_open(name, 0);
    return sem_open(name, O_CREAT | O_EXCL, 0600, 0u);
}

int podbench_flock(int fd, int operation) {
    return flock(fd, operation);
}

int podbench_fcntl_lock(int fd, int command, struct flock *lock) {
    return fcntl(fd, command, lock);
}

int podbench_semctl_remove(int semid) {
    return semctl(semid, 0, IPC_RMID);
}

int podbench_semctl_creator(int semid, uid_t *creator) {
    struct semid_ds info;
    union { int val; struct semid_ds *buf; unsigned short *array; } argument = { .buf = &info };
    if (semctl(semid, 0, IPC_STAT, argument) != 0) return -1;
    *creator = info.sem_perm.cuid;
    return 0;
}

uint64_t podbench_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static const char *deadline_message;

static void deadline_fired(int sig) {
    (void)sig;
    if (deadline_message) {
        ssize_t ignored = write(STDOUT_FILENO, deadline_message, strlen(deadline_message));
        (void)ignored;
    }
    // The probe's `finished` record (CLOCK_REALTIME ns), written without stdio: its namespaces
    // were alive until now.
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t at = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    char digits[24];
    int n = 0;
    do { digits[n++] = (char)('0' + at % 10); at /= 10; } while (at > 0);
    char line[64] = "{\"podbench\":\"finished\",\"at\":";
    size_t length = strlen(line);
    while (n > 0) line[length++] = digits[--n];
    line[length++] = '}';
    line[length++] = '\n';
    ssize_t ignored = write(STDOUT_FILENO, line, length);
    (void)ignored;
    _exit(124);
}

void podbench_arm_deadline(uint64_t microseconds, const char *message) {
    deadline_message = message;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = deadline_fired;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval timer;
    memset(&timer, 0, sizeof timer);
    timer.it_value.tv_sec = (time_t)(microseconds / 1000000);
    timer.it_value.tv_usec = (suseconds_t)(microseconds % 1000000);
    if (timer.it_value.tv_sec == 0 && timer.it_value.tv_usec == 0) timer.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &timer, NULL);
}

static int interrupt_pipe[2] = {-1, -1};

static void interrupt_received(int sig) {
    int saved = errno;
    unsigned char byte = (unsigned char)sig;
    // Non-blocking: a burst of signals while the reader is busy drops bytes, never blocks.
    ssize_t ignored = write(interrupt_pipe[1], &byte, 1);
    (void)ignored;
    errno = saved;
}

static void broken_pipe(int sig) {
    (void)sig;
}

int podbench_interrupt_fd(void) {
    if (interrupt_pipe[0] >= 0) return interrupt_pipe[0];
    if (pipe2(interrupt_pipe, O_CLOEXEC) < 0) return -1;
    fcntl(interrupt_pipe[1], F_SETFL, O_NONBLOCK);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = interrupt_received;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    // A closed terminal (SIGHUP) and SIGQUIT (whose default, and the Swift runtime's crash
    // handler, would end podbench without its clean-up) end a run as SIGTERM does.
    const int ending[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof ending / sizeof ending[0]; i++) {
        sigaction(ending[i], &sa, NULL);
        sigaddset(&set, ending[i]);
    }
    // A reader that went away (`podbench run all | head -1`): writes fail with EPIPE, which
    // podbench notes, instead of ending it mid-run. A handler, not SIG_IGN, so that the
    // processes podbench starts get the default again at exec.
    struct sigaction pipe_action;
    memset(&pipe_action, 0, sizeof pipe_action);
    pipe_action.sa_handler = broken_pipe;
    sigemptyset(&pipe_action.sa_mask);
    sigaction(SIGPIPE, &pipe_action, NULL);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return interrupt_pipe[0];
}

int podbench_allowed_cpus(int *cpus, int capacity) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return -1;
    int count = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &set)) continue;
        if (count < capacity) cpus[count] = cpu;
        count++;
    }
    return count;
}

int podbench_pin_to_cpu(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) { errno = EINVAL; return -1; }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}

int podbench_current_cpu(void) {
    return sched_getcpu();
}

long podbench_involuntary_switches(void) {
    struct rusage usage;
    return getrusage(RUSAGE_THREAD, &usage) == 0 ? usage.ru_nivcsw : -1;
}

int podbench_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}

int podbench_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int podbench_pidfd_kill(int pidfd, int sig) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int podbench_close_from(int lowest) {
    return (int)syscall(SYS_close_range, lowest, ~0U, 0);
}

int podbench_pidfd_getfd(int pidfd, int fd) {
    return (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
}

int podbench_open_unnamed(const char *directory) {
    return open(directory, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

int podbench_release_fd(void) {
    sigset_t release;
    sigemptyset(&release);
    sigaddset(&release, SIGUSR1);
    return signalfd(-1, &release, SFD_CLOEXEC | SFD_NONBLOCK);
}

int podbench_poll_either(int first, int second, short events, unsigned long long nanoseconds) {
    struct pollfd watched[2] = {{.fd = first, .events = POLLIN}, {.fd = second, .events = events}};
    struct timespec now, deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += (time_t)(nanoseconds / 1000000000ULL);
    deadline.tv_nsec += (long)(nanoseconds % 1000000000ULL);
    if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec += 1; deadline.tv_nsec -= 1000000000L; }
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long left = (long long)(deadline.tv_sec - now.tv_sec) * 1000000000LL + (deadline.tv_nsec - now.tv_nsec);
        if (left < 0) left = 0;
        struct timespec timeout = {.tv_sec = (time_t)(left / 1000000000LL), .tv_nsec = (long)(left % 1000000000LL)};
        int ready = ppoll(watched, 2, &timeout, NULL);
        if (ready > 0) return watched[1].revents ? 2 : 1;
        if (ready == 0) return 0;
        if (errno != EINTR) return -1;
    }
}

int podbench_interface_flags(const char *name) {
    // Any socket reaches the device ioctls of its network namespace.
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct ifreq request;
    memset(&request, 0, sizeof request);
    strncpy(request.ifr_name, name, IFNAMSIZ - 1);
    int result = ioctl(fd, SIOCGIFFLAGS, &request);
    int saved = errno;
    close(fd);
    errno = saved;
    return result < 0 ? -1 : (unsigned short)request.ifr_flags;
}
