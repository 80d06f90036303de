// The local runtime's pod and container set-up, done in podbench-probe before the Swift
// runtime starts: joining a user or mount namespace (setns) requires a single-threaded
// process, so like runc's nsexec this runs as an ELF constructor, before main. Only the
// podbench-probe executable links this target.
//
//   podbench-probe pod-infra --hostname NAME [--userns] [--share-pid] [--tmpfs DIR]...
//       new user (optional), network, IPC, UTS and mount namespaces; lo up; a private
//       /dev/shm; a tmpfs on each DIR (emptyDir medium Memory); with --share-pid a PID
//       namespace for the pod, held by a forked init. The Swift side then holds the
//       namespaces open until its standard input closes.
//   podbench-probe container --pod PID|- [--pid-from PID] --rootfs DIR [--bind|--ro-bind SRC DST]... -- ROLE ...
//       joins the namespaces of PID (with `-`, read from standard input as "PID [PID-FROM]",
//       so that the container's start overlaps the pod's: what podbench writes once the
//       pod's infrastructure is ready), and the PID namespace of --pid-from (else one of its own,
//       entered by forking), gets a mount namespace of its own with a root built on a tmpfs
//       at DIR (the host's top-level directories bound in read-only but /dev, a private /tmp,
//       a /proc of its PID namespace) and each volume bound at its mount path, then pivots
//       into it. The Swift side runs ROLE.
//
// Any failure prints "podbench-probe: sandbox: ..." on stderr and exits 125.
//
// Every podbench-probe, sandboxed or not, starts with SIGUSR1 blocked: it is how a runtime
// releases a probe that only stays for others (the probe reads it from a signalfd), and a
// release that comes before the probe looks for it must wait for it, not kill it.
#define _GNU_SOURCE
#include <dirent.h>
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
static pid_t pid_namespace_holder;

int podbench_sandbox_mode(void) { return sandbox_mode; }

int podbench_sandbox_pid_holder(void) { return (int)pid_namespace_holder; }

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
static void hold_pid_namespace(void) {
    if (unshare(CLONE_NEWPID) < 0) fail("create the pod's PID namespace");
    pid_t child = fork_tied("the pod's init");
    if (child == 0) {
        signal(SIGCHLD, SIG_IGN); // reap orphans: this is the namespace's init
        for (;;) pause();
    }
    pid_namespace_holder = child;
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
    if (o->share_pid) hold_pid_namespace();
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

/// Makes the mount at `path`, and every mount below it, read-only, keeping their other flags
/// (a remount would have to repeat them, and cannot clear locked ones in a user namespace).
static void make_read_only(const char *path) {
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (mount_setattr(AT_FDCWD, path, AT_RECURSIVE, &attr, sizeof attr) < 0) fail("make %s read-only", path);
}

/// Mirrors one host entry at `dst`, which must not exist yet: directories and files are bound
/// (read-only, but /dev), symbolic links copied.
static void mirror(const char *src, const char *dst) {
    struct stat st;
    if (lstat(src, &st) < 0) return; // vanished meanwhile
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlink(src, target, sizeof target - 1);
        if (n < 0) fail("readlink %s", src);
        target[n] = 0;
        if (symlink(target, dst) < 0) fail("symlink %s", dst);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (mkdir(dst, 0755) < 0) fail("mkdir %s", dst);
    } else {
        int fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0) fail("create %s", dst);
        close(fd);
    }
    if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0) fail("bind %s", src);
    if (strcmp(src, "/dev") != 0) make_read_only(dst);
}

/// Puts a tmpfs at `root`+`host` that mirrors each entry of the host's `host` directory, so
/// that a new mount point can be made there without touching the host. At the top (`host`
/// empty) /tmp is a fresh tmpfs instead: each container has a /tmp of its own.
static void populate(const char *root, const char *host) {
    char at[PATH_MAX], src[PATH_MAX], dst[PATH_MAX];
    snprintf(at, sizeof at, "%s%s", root, host);
    mount_tmpfs(at, "mode=0755");
    DIR *dir = opendir(*host ? host : "/");
    if (!dir) fail("open %s", *host ? host : "/");
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(src, sizeof src, "%s/%s", host, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", at, e->d_name);
        if (!*host && !strcmp(e->d_name, "tmp")) {
            if (mkdir(dst, 01777) < 0) fail("mkdir %s", dst);
            mount_tmpfs(dst, "mode=1777");
        } else if (!*host && !strcmp(e->d_name, "proc")) {
            // A /proc of the container's PID namespace: it shows the container's processes
            // (and, with shareProcessNamespace, the pod's), not the host's. Where the kernel
            // refuses a new proc (some user namespaces), the host's is bound read-only.
            if (mkdir(dst, 0555) < 0) fail("mkdir %s", dst);
            if (mount("proc", dst, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
                if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0) fail("bind /proc");
                make_read_only(dst);
            }
        } else {
            mirror(src, dst);
        }
    }
    closedir(dir);
}

/// Makes `path` (absolute, normalised) a directory under `root`, populating a tmpfs over a
/// host view wherever a component is missing.
static void make_mount_point(const char *root, const char *path) {
    char host[PATH_MAX] = "", at[PATH_MAX], parent_at[PATH_MAX];
    const char *p = path;
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t hl = strlen(host);
        if (hl + 1 + len >= sizeof host) { errno = ENAMETOOLONG; fail("mount path %s", path); }
        snprintf(parent_at, sizeof parent_at, "%s%s", root, host);
        host[hl] = '/';
        memcpy(host + hl + 1, p, len);
        host[hl + 1 + len] = 0;
        snprintf(at, sizeof at, "%s%s", root, host);
        struct stat st;
        if (lstat(at, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) { errno = ENOTDIR; fail("mount path %s: %s", path, host); }
        } else {
            if (!is_owned(parent_at)) {
                host[hl] = 0;
                populate(root, host);
                host[hl] = '/';
            }
            if (mkdir(at, 0755) < 0) fail("mkdir %s", at);
        }
        p += len;
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

/// Puts the rest of the set-up and the probe into a PID namespace: the pod's (`pid_from`, with
/// shareProcessNamespace) or one of the container's own. A PID namespace takes effect for
/// children only, so this forks: the parent stays as what podbench watches, waits for the
/// child and ends as it ended; the child dies with the parent.
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
    if (!strcmp(o->pod, "-")) read_pod(o);
    join_pod(o->pod);
    enter_pid_namespace(o->pid_from);
    if (unshare(CLONE_NEWNS) < 0) fail("unshare the container's mount namespace");
    populate(o->rootfs, "");
    char dst[PATH_MAX];
    for (int i = 0; i < o->bind_count; i++) {
        make_mount_point(o->rootfs, o->binds[i].target);
        snprintf(dst, sizeof dst, "%s%s", o->rootfs, o->binds[i].target);
        if (mount(o->binds[i].source, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
            fail("bind %s at %s", o->binds[i].source, o->binds[i].target);
        if (o->binds[i].readonly) make_read_only(dst);
    }
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
