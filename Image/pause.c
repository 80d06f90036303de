/* The pod sandbox's pause process for podbench's private containerd (the CRI tests): it holds
 * the pod's namespaces open, reaps what it inherits, and exits on SIGINT or SIGTERM. No registry
 * is reachable here, so the usual pause image cannot be pulled; this is built statically and
 * imported as localhost/podbench-pause. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void quit(int signal) {
    (void)signal;
    _exit(0);
}

static void reap(int signal) {
    (void)signal;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int main(void) {
    signal(SIGINT, quit);
    signal(SIGTERM, quit);
    signal(SIGCHLD, reap);
    for (;;) {
        pause();
    }
}
