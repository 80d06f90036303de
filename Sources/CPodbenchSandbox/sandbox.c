// The local runtime's pod and container set-up, done in podbench-probe before the Swift
// runtime starts: joining a user or mount namespace (setns) requires a single-threaded
// process, so like runc's nsexec this runs as an ELF constructor, before main. Only the
// podbench-probe executable links this target.
//
//   podbench-probe pod-infra --hostname NAME [--userns] [--share-pid] [--tmpfs DIR]...
//       new user (optional), network, IPC, UTS and mount namespaces; lo up; a private
//       /dev/shm; a tmpfs on each DIR (emptyDir medium Memory); with --share-pid a PID
//       namespace for the pod, held by a forked init. Then it says "ready" on standard
//       output (followed by that init's pid), before the Swift runtime starts, and the Swift
//       side holds the namespaces open until its standard input closes.
//   podbench-probe container --pod PID|- [--share-pid] [--pid-from PID] --rootfs DIR [--bind|--ro-bind SRC DST]... -- ROLE ...
//       joins the namespaces of PID (with `-`, read from standard input as "PID [PID-FROM]",
//       so that the container's start overlaps the pod's: what podbench writes once the
//       pod's infrastructure is ready; --share-pid says that line will have PID-FROM), and the
//       PID namespace of --pid-from (else one of its own, made and forked into before the line
//       where it can be), gets a mount namespace of its own with a read-only root built on a
//       tmpfs at DIR (what the probe image holds: the host's /dev, /sys read-only, a /proc of
//       its PID namespace, a private /tmp) and each volume bound at its mount path, then
//       pivots into it. The Swift side runs ROLE.
//
// Any failure prints "podbench-probe: sandbox: ..." on stderr and exits 125.
//
// Every podbench-probe, sandboxed or not, starts with SIGUSR1 blocked: it is how a runtime
// releases a probe that only stays for others (the probe reads it from a signalfd), and a
// release that comes before the probe looks for it must wait for it, not kill it.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "CPodbenchSandbox.h"

enum { MAX_ITEMS = 64 };

static int sandbox_mode;

int podbench_sandbox_mode(void) { return sandbox_mode; }

static void fail(const char *fmt, ...) {
    int saved = errno;
    va_list ap;
    fputs("podbench-probe: sandbox: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (saved) fprintf(stderr, ": %s", strerror(saved));
    fputc('\n', stderr);
    _exit(PODBENCH_SANDBOX_EXIT);
}

/// The sandbox options of either mode, parsed once.
struct options {
    const char *hostname, *pod, *rootfs, *pid_from;
    int userns, share_pid;
    const char *tmpfs[MAX_ITEMS];
    int tmpfs_count;
    struct { const char *source, *target; int readonly; } binds[MAX_ITEMS];
    int bind_count;
};

static struct options parse(int argc, char **argv) {
    struct options o;
    memset(&o, 0, sizeof o);
    for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *word = argv[i];
        int more = argc - i - 1;
        if (!strcmp(word, "--hostname") && more >= 1) o.hostname = argv[++i];
        else if (!strcmp(word, "--userns")) o.userns = 1;
        else if (!strcmp(word, "--share-pid")) o.share_pid = 1;
        else if (!strcmp(word, "--pid-from") && more >= 1) o.pid_from = argv[++i];
        else if (!strcmp(word, "--pod") && more >= 1) o.pod = argv[++i];
        else if (!strcmp(word, "--rootfs") && more >= 1) o.rootfs = argv[++i];
        else if (!strcmp(word, "--tmpfs") && more >= 1 && o.tmpfs_count < MAX_ITEMS) o.tmpfs[o.tmpfs_count++] = argv[++i];
        else if ((!strcmp(word, "--bind") || !strcmp(word, "--ro-bind")) && more >= 2 && o.bind_count < MAX_ITEMS) {
            o.binds[o.bind_count].readonly = !strcmp(word, "--ro-bind");
            o.binds[o.bind_count].source = argv[++i];
            o.binds[o.bind_count].target = argv[++i];
            o.bind_count++;
        } else { errno = 0; fail("%s: unexpected or incomplete argument '%s'", argv[1], word); }
    }
    return o;
}

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail("open %s", path);
    ssize_t n = write(fd, text, strlen(text));
    if (n != (ssize_t)strlen(text)) fail("write %s", path);
    close(fd);
}

static void loopback_up(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) fail("get flags of lo");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) fail("bring lo up");
    close(fd);
}

/// Forks a child that dies with the parent (the parent has one thread, so the death signal
/// cannot come from some thread exiting). The child checks that the parent still lives through
/// a pipe whose write end only the parent holds: getppid() says 0 across PID namespaces.
static pid_t fork_tied(const char *what) {
    int alive[2];
    if (pipe2(alive, O_CLOEXEC) < 0) fail("pipe");
    pid_t child = fork();
    if (child < 0) fail("fork %s", what);
    if (child == 0) {
        close(alive[1]);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) fail("prctl PR_SET_PDEATHSIG");
        struct pollfd parent = {.fd = alive[0], .events = POLLIN};
        if (poll(&parent, 1, 0) != 0) _exit(PODBENCH_SANDBOX_EXIT); // end of file: the parent is gone
        close(alive[0]);
        return 0;
    }
    close(alive[0]);
    return child; // the write end stays open for the parent's life
}

/// shareProcessNamespace: a new PID namespace for the whole pod, held by a child that is its
/// init (PID 1, as the pause container is) until the infrastructure process ends.
static pid_t hold_pid_namespace(void) {
    if (unshare(CLONE_NEWPID) < 0) fail("create the pod's PID namespace");
    pid_t child = fork_tied("the pod's init");
    if (child == 0) {
        signal(SIGCHLD, SIG_IGN); // reap orphans: this is the namespace's init
        for (;;) pause();
    }
    return child;
}

static void pod_infra(const struct options *o) {
    uid_t uid = geteuid();
    gid_t gid = getegid();
    int flags = CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS;
    if (o->userns) flags |= CLONE_NEWUSER;
    if (unshare(flags) < 0) {
        if (o->userns)
            fail("cannot create an unprivileged user namespace (run as root, or allow user "
                 "namespaces: sysctl user.max_user_namespaces, kernel.apparmor_restrict_unprivileged_userns)");
        fail("cannot create the pod's namespaces (run as root or with CAP_SYS_ADMIN)");
    }
    if (o->userns) {
        char map[64];
        write_file("/proc/self/setgroups", "deny");
        snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
        write_file("/proc/self/uid_map", map);
        snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
        write_file("/proc/self/gid_map", map);
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) fail("make / private");
    if (mount("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k") < 0)
        fail("mount the pod's /dev/shm");
    for (int i = 0; i < o->tmpfs_count; i++)
        if (mount("tmpfs", o->tmpfs[i], "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0)
            fail("mount tmpfs on %s", o->tmpfs[i]);
    if (o->hostname && sethostname(o->hostname, strlen(o->hostname)) < 0) fail("set hostname %s", o->hostname);
    loopback_up();
    // What a pod start waits for: said here, not after the Swift runtime's own start.
    char ready[32];
    int length = o->share_pid ? snprintf(ready, sizeof ready, "ready %d\n", (int)hold_pid_namespace())
                              : snprintf(ready, sizeof ready, "ready\n");
    if (write(1, ready, (size_t)length) != length) fail("say ready");
}

// ---- container: building a root on a tmpfs ----

/// Devices of the tmpfs mounts this set-up made: a directory on one of them is ours to
/// change; any other is a view of the host, which must never be written to.
static dev_t owned_devs[MAX_ITEMS];
static int owned_count;

static void own(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) fail("stat %s", path);
    if (owned_count == MAX_ITEMS) { errno = 0; fail("too many nested mount paths"); }
    owned_devs[owned_count++] = st.st_dev;
}

static int is_owned(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) fail("stat %s", path);
    for (int i = 0; i < owned_count; i++)
        if (owned_devs[i] == st.st_dev) return 1;
    return 0;
}

static void mount_tmpfs(const char *at, const char *mode) {
    if (mount("tmpfs", at, "tmpfs", MS_NOSUID | MS_NODEV, mode) < 0) fail("mount tmpfs on %s", at);
    own(at);
}

/// Makes the mount at `path`, and every mount below it, read-only (or, with `recursive` 0,
/// that mount alone), keeping their other flags (a remount would have to repeat them, and
/// cannot clear locked ones in a user namespace).
static void make_read_only(const char *path, int recursive) {
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (mount_setattr(AT_FDCWD, path, recursive ? AT_RECURSIVE : 0, &attr, sizeof attr) < 0) fail("make %s read-only", path);
}

/// Makes the directory `name` under `root` and binds the host's directory of that name there.
static void bind_host(const char *root, const char *name, int read_only) {
    char src[PATH_MAX], dst[PATH_MAX];
    snprintf(src, sizeof src, "/%s", name);
    snprintf(dst, sizeof dst, "%s/%s", root, name);
    if (mkdir(dst, 0755) < 0) fail("mkdir %s", dst);
    if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0) fail("bind %s", src);
    if (read_only) make_read_only(dst, 1);
}

/// The container's root, on a tmpfs at `root`: what the probe image holds (the probe is a
/// static executable and reads no file of the host), so nothing of the host's files but
/// /dev (with the pod's /dev/shm), /sys read-only, a /proc of the container's PID namespace,
/// and a /tmp of its own. Made read-only once the volumes' mount points are in it.
static void build_root(const char *root) {
    char at[PATH_MAX];
    mount_tmpfs(root, "mode=0755");
    bind_host(root, "dev", 0);
    bind_host(root, "sys", 1);
    snprintf(at, sizeof at, "%s/proc", root);
    if (mkdir(at, 0555) < 0) fail("mkdir %s", at);
    // It shows the container's processes (and, with shareProcessNamespace, the pod's), not
    // the host's. Where the kernel refuses a new proc (some user namespaces), the host's is
    // bound read-only.
    if (mount("proc", at, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
        if (mount("/proc", at, NULL, MS_BIND | MS_REC, NULL) < 0) fail("bind /proc");
        make_read_only(at, 1);
    }
    snprintf(at, sizeof at, "%s/tmp", root);
    if (mkdir(at, 01777) < 0) fail("mkdir %s", at);
    mount_tmpfs(at, "mode=1777");
}

/// Makes `path` (absolute, normalised) a directory under `root`. Every directory it makes is
/// on a tmpfs of the container's: a path through the host's /dev, /proc or /sys is refused.
static void make_mount_point(const char *root, const char *path) {
    char at[PATH_MAX];
    size_t length = strlen(root);
    if (length + strlen(path) >= sizeof at) { errno = ENAMETOOLONG; fail("mount path %s", path); }
    memcpy(at, root, length + 1);
    for (const char *p = path; *p;) {
        while (*p == '/') p++;
        size_t part = strcspn(p, "/");
        if (!part) break;
        int parent_owned = is_owned(at);
        at[length++] = '/';
        memcpy(at + length, p, part);
        length += part;
        at[length] = 0;
        p += part;
        struct stat st;
        if (lstat(at, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) { errno = ENOTDIR; fail("mount path %s", path); }
        } else {
            if (!parent_owned) { errno = EROFS; fail("mount path %s: the directory above is the host's", path); }
            if (mkdir(at, 0755) < 0) fail("mkdir %s", at);
        }
    }
}

static void join_pod(const char *pod) {
    static const struct { const char *name; int type; } kinds[] = {
        {"user", CLONE_NEWUSER}, {"net", CLONE_NEWNET}, {"ipc", CLONE_NEWIPC},
        {"uts", CLONE_NEWUTS}, {"mnt", CLONE_NEWNS},
    };
    enum { KINDS = sizeof kinds / sizeof kinds[0] };
    int fds[KINDS];
    char path[PATH_MAX];
    // Open them all first: each join changes what /proc paths resolve to.
    for (int k = 0; k < KINDS; k++) {
        snprintf(path, sizeof path, "/proc/%s/ns/%s", pod, kinds[k].name);
        fds[k] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[k] < 0) fail("open %s (is the pod still running?)", path);
    }
    struct stat mine, theirs;
    if (stat("/proc/self/ns/user", &mine) < 0 || fstat(fds[0], &theirs) < 0) fail("stat user namespace");
    for (int k = 0; k < KINDS; k++) {
        // Joining the user namespace one is already in is an error (EINVAL).
        int same_user = k == 0 && mine.st_ino == theirs.st_ino && mine.st_dev == theirs.st_dev;
        if (!same_user && setns(fds[k], kinds[k].type) < 0) fail("join the pod's %s namespace", kinds[k].name);
        close(fds[k]);
    }
}

static volatile pid_t forwarded;

static void forward_release(int signal) {
    int saved = errno;
    kill(forwarded, signal);
    errno = saved;
}

/// Forks into the PID namespace this process has entered, which takes effect for children
/// only: the parent stays as what podbench watches, passes the release on, waits for the
/// child and ends as it ended; the child, which returns, dies with the parent.
static void fork_into_pid_namespace(void) {
    pid_t child = fork_tied("into the PID namespace");
    if (child == 0) return;
    // The release is for the probe, the child: pass it on.
    forwarded = child;
    struct sigaction forward = {.sa_handler = forward_release};
    sigemptyset(&forward.sa_mask);
    sigaction(SIGUSR1, &forward, NULL);
    sigset_t release;
    sigemptyset(&release);
    sigaddset(&release, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &release, NULL);
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) fail("wait for the container");
    }
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        raise(WTERMSIG(status));
    }
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : PODBENCH_SANDBOX_EXIT);
}

/// Puts the rest of the set-up and the probe into a PID namespace: the pod's (`pid_from`, with
/// shareProcessNamespace) or one of the container's own.
static void enter_pid_namespace(const char *pid_from) {
    if (pid_from) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "/proc/%s/ns/pid", pid_from);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail("open %s (is the pod still running?)", path);
        if (setns(fd, CLONE_NEWPID) < 0) fail("join the pod's PID namespace");
        close(fd);
    } else if (unshare(CLONE_NEWPID) < 0) {
        fail("create the container's PID namespace");
    }
    fork_into_pid_namespace();
}

/// `--pod -`: waits for the line "PID [PID-FROM]" on standard input, which then reads from
/// /dev/null. No line (podbench closed it) means the pod did not come up.
static void read_pod(struct options *o) {
    static char line[64];
    size_t length = 0;
    char *end = NULL;
    while (!end && length < sizeof line - 1) {
        ssize_t n = read(0, line + length, sizeof line - 1 - length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        length += (size_t)n;
        end = memchr(line, '\n', length);
    }
    if (!end) { errno = 0; fail("container: the pod's infrastructure did not come up"); }
    *end = 0;
    o->pod = line;
    char *space = strchr(line, ' ');
    if (space) {
        *space = 0;
        o->pid_from = space + 1;
    }
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0) fail("open /dev/null");
    close(null);
}

static void container(struct options *o) {
    if (!o->pod || !o->rootfs) { errno = 0; fail("container: --pod PID|- and --rootfs DIR are required"); }
    if (o->share_pid && strcmp(o->pod, "-") != 0) { errno = 0; fail("container: --share-pid goes with --pod -"); }
    // A PID namespace of the container's own needs nothing of the pod: it is made, and forked
    // into, while the pod's infrastructure is still starting. Not as an ordinary user: there
    // the PID namespace must belong to the pod's user namespace, joined below.
    int forked = 0;
    if (!o->share_pid && !o->pid_from && unshare(CLONE_NEWPID) == 0) {
        fork_into_pid_namespace();
        forked = 1;
    }
    if (!strcmp(o->pod, "-")) read_pod(o);
    if (forked && o->pid_from) { errno = 0; fail("container: the pod shares its PID namespace: --share-pid is needed"); }
    join_pod(o->pod);
    if (!forked) enter_pid_namespace(o->pid_from);
    if (unshare(CLONE_NEWNS) < 0) fail("unshare the container's mount namespace");
    build_root(o->rootfs);
    char dst[PATH_MAX];
    for (int i = 0; i < o->bind_count; i++) {
        make_mount_point(o->rootfs, o->binds[i].target);
        snprintf(dst, sizeof dst, "%s%s", o->rootfs, o->binds[i].target);
        if (mount(o->binds[i].source, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
            fail("bind %s at %s", o->binds[i].source, o->binds[i].target);
        if (o->binds[i].readonly) make_read_only(dst, 1);
    }
    make_read_only(o->rootfs, 0);
    if (chdir(o->rootfs) < 0) fail("chdir %s", o->rootfs);
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root");
    if (umount2(".", MNT_DETACH) < 0) fail("detach the old root");
    if (chdir("/") < 0) fail("chdir /");
}

// glibc passes argc, argv and envp to constructors.
__attribute__((constructor)) static void podbench_sandbox(int argc, char **argv, char **envp) {
    (void)envp;
    sigset_t release;
    sigemptyset(&release);
    sigaddset(&release, SIGUSR1);
    sigprocmask(SIG_BLOCK, &release, NULL);
    if (argc < 2 || !argv) return;
    if (!strcmp(argv[1], "pod-infra")) {
        struct options o = parse(argc, argv);
        pod_infra(&o);
        sandbox_mode = 1;
    } else if (!strcmp(argv[1], "container")) {
        struct options o = parse(argc, argv);
        container(&o);
        sandbox_mode = 2;
    }
}
