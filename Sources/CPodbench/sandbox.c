// The local runtime's pod and container set-up, done in the probe before the Swift runtime
// starts: joining a user or mount namespace (setns) requires a single-threaded process, so
// like runc's nsexec this runs as an ELF constructor, before main.
//
//   podbench-probe pod-infra --hostname NAME [--userns] [--tmpfs DIR]...
//       new user (optional), network, IPC, UTS and mount namespaces; lo up; a private
//       /dev/shm; a tmpfs on each DIR (emptyDir medium Memory). The Swift side then holds
//       the namespaces open until its standard input closes.
//   podbench-probe container --pod PID --rootfs DIR [--bind SRC:DST[:ro]]... -- ROLE ARGS
//       joins the namespaces of PID, gets a mount namespace of its own with a root built on a
//       tmpfs at DIR (the host's top-level directories bound in, a private /tmp) and each
//       volume bound at its mountPath, then pivots into it. The Swift side runs ROLE.
//
// Any failure prints "podbench-probe: sandbox: ..." on stderr and exits 125.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "CPodbench.h"

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

static void pod_infra(int argc, char **argv) {
    const char *hostname = NULL;
    int userns = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--hostname") == 0 && i + 1 < argc) hostname = argv[++i];
        else if (strcmp(argv[i], "--userns") == 0) userns = 1;
        else if (strcmp(argv[i], "--tmpfs") == 0 && i + 1 < argc) i++;
        else { errno = 0; fail("pod-infra: unexpected argument '%s'", argv[i]); }
    }
    uid_t uid = geteuid();
    gid_t gid = getegid();
    int flags = CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS;
    if (userns) flags |= CLONE_NEWUSER;
    if (unshare(flags) < 0) {
        if (userns)
            fail("cannot create an unprivileged user namespace (run as root, or allow user "
                 "namespaces: sysctl user.max_user_namespaces, kernel.apparmor_restrict_unprivileged_userns)");
        fail("cannot create the pod's namespaces (run as root or with CAP_SYS_ADMIN)");
    }
    if (userns) {
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
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--tmpfs") == 0) {
            const char *dir = argv[++i];
            if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0777") < 0)
                fail("mount tmpfs on %s", dir);
        } else if (strcmp(argv[i], "--hostname") == 0) {
            i++;
        }
    }
    if (hostname && sethostname(hostname, strlen(hostname)) < 0) fail("set hostname %s", hostname);
    loopback_up();
}

// ---- container: building a root on a tmpfs ----

/// Devices of the tmpfs mounts this set-up made: a directory on one of them is ours to
/// change; any other is a view of the host, which must never be written to.
static dev_t owned_devs[64];
static int owned_count;

static void own(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) fail("stat %s", path);
    if (owned_count < (int)(sizeof owned_devs / sizeof owned_devs[0])) owned_devs[owned_count++] = st.st_dev;
    else { errno = 0; fail("too many nested mount paths"); }
}

static int is_owned(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) fail("stat %s", path);
    for (int i = 0; i < owned_count; i++)
        if (owned_devs[i] == st.st_dev) return 1;
    return 0;
}

/// Mirrors one host entry at `dst`, which must not exist yet: directories and files are bound,
/// symbolic links copied.
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
}

/// Replaces the host view at `root`+`host` by a tmpfs that mirrors each of its entries, so
/// that a new mount point can be made inside without touching the host.
static void splice_host_view(const char *root, const char *host) {
    char at[PATH_MAX], src[PATH_MAX], dst[PATH_MAX];
    snprintf(at, sizeof at, "%s%s", root, host);
    if (mount("tmpfs", at, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) fail("mount tmpfs on %s", at);
    own(at);
    DIR *dir = opendir(*host ? host : "/");
    if (!dir) fail("open %s", host);
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(src, sizeof src, "%s/%s", host, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", at, e->d_name);
        mirror(src, dst);
    }
    closedir(dir);
}

/// Makes `path` (absolute, normalised) a directory under `root`, splicing host views where a
/// component is missing.
static void make_mount_point(const char *root, const char *path) {
    char host[PATH_MAX] = "", at[PATH_MAX];
    const char *p = path;
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char parent_at[PATH_MAX];
        snprintf(parent_at, sizeof parent_at, "%s%s", root, host);
        size_t hl = strlen(host);
        if (hl + 1 + len >= sizeof host) { errno = ENAMETOOLONG; fail("mount path %s", path); }
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
                splice_host_view(root, host);
                host[hl] = '/';
            }
            if (mkdir(at, 0755) < 0) fail("mkdir %s", at);
        }
        p += len;
    }
}

static void container(int argc, char **argv) {
    const char *pod = NULL, *rootfs = NULL;
    int first_bind = argc;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) break;
        if (strcmp(argv[i], "--pod") == 0 && i + 1 < argc) pod = argv[++i];
        else if (strcmp(argv[i], "--rootfs") == 0 && i + 1 < argc) rootfs = argv[++i];
        else if (strcmp(argv[i], "--bind") == 0 && i + 1 < argc) { if (first_bind == argc) first_bind = i; i++; }
        else { errno = 0; fail("container: unexpected argument '%s'", argv[i]); }
    }
    if (!pod || !rootfs) { errno = 0; fail("container: --pod PID and --rootfs DIR are required"); }

    static const struct { const char *name; int type; } kinds[] = {
        {"user", CLONE_NEWUSER}, {"net", CLONE_NEWNET}, {"ipc", CLONE_NEWIPC},
        {"uts", CLONE_NEWUTS}, {"mnt", CLONE_NEWNS},
    };
    int fds[5];
    char path[PATH_MAX];
    for (int k = 0; k < 5; k++) {
        snprintf(path, sizeof path, "/proc/%s/ns/%s", pod, kinds[k].name);
        fds[k] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[k] < 0) fail("open %s (is the pod still running?)", path);
    }
    struct stat mine, theirs;
    if (stat("/proc/self/ns/user", &mine) < 0 || fstat(fds[0], &theirs) < 0) fail("stat user namespace");
    for (int k = 0; k < 5; k++) {
        if (k == 0 && mine.st_ino == theirs.st_ino) { close(fds[0]); continue; }
        if (setns(fds[k], kinds[k].type) < 0) fail("join the pod's %s namespace", kinds[k].name);
        close(fds[k]);
    }
    if (unshare(CLONE_NEWNS) < 0) fail("unshare the container's mount namespace");

    if (mount("rootfs", rootfs, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) fail("mount root on %s", rootfs);
    own(rootfs);
    DIR *dir = opendir("/");
    if (!dir) fail("open /");
    struct dirent *e;
    char src[PATH_MAX], dst[PATH_MAX];
    while ((e = readdir(dir))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(src, sizeof src, "/%s", e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", rootfs, e->d_name);
        if (!strcmp(e->d_name, "tmp")) {
            // Each container has a /tmp of its own, as in an image.
            if (mkdir(dst, 01777) < 0) fail("mkdir %s", dst);
            if (mount("tmp", dst, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0) fail("mount /tmp");
            own(dst);
        } else {
            mirror(src, dst);
        }
    }
    closedir(dir);

    for (int i = first_bind; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--bind") != 0) { i++; continue; }
        char spec[PATH_MAX];
        snprintf(spec, sizeof spec, "%s", argv[++i]);
        char *colon = strchr(spec, ':');
        if (!colon) { errno = 0; fail("--bind %s: expected SRC:DST[:ro]", spec); }
        *colon = 0;
        char *target = colon + 1;
        char *mode = strchr(target, ':');
        int readonly = 0;
        if (mode) { *mode = 0; readonly = !strcmp(mode + 1, "ro"); }
        make_mount_point(rootfs, target);
        snprintf(dst, sizeof dst, "%s%s", rootfs, target);
        if (mount(spec, dst, NULL, MS_BIND | MS_REC, NULL) < 0) fail("bind %s at %s", spec, target);
        if (readonly && mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
            fail("make %s read-only", target);
    }

    if (chdir(rootfs) < 0) fail("chdir %s", rootfs);
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root");
    if (umount2(".", MNT_DETACH) < 0) fail("detach the old root");
    if (chdir("/") < 0) fail("chdir /");
}

__attribute__((constructor)) static void podbench_sandbox(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 2 || !argv) return;
    if (strcmp(argv[1], "pod-infra") == 0) pod_infra(argc, argv);
    else if (strcmp(argv[1], "container") == 0) container(argc, argv);
}
