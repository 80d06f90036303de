// A minimal two-process ping-pong over a System V message queue or a POSIX message queue,
// the yardstick for podbench's IPC round trips: same message size, same blocking calls, no
// histogram, no runtime. Prints the median and the 99th percentile round trip in nanoseconds.
// With two CPUs, the timing parent is pinned to the first and the echoing child to the second
// (podbench's client and server sides of a placement).
//
//   cc -O2 -o pingpong pingpong.c && ./pingpong sysv|posix SIZE ROUNDS [CLIENT_CPU SERVER_CPU]
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000ull + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 6) { fprintf(stderr, "usage: %s sysv|posix SIZE ROUNDS [CLIENT_CPU SERVER_CPU]\n", argv[0]); return 2; }
    int posix = !strcmp(argv[1], "posix");
    long size = atol(argv[2]);
    int rounds = atoi(argv[3]), warmup = rounds / 10;
    unsigned long long *samples = calloc(rounds, sizeof *samples);
    char *buffer = calloc(1, size + sizeof(long));
    int queue = -1;
    mqd_t ping = -1, pong = -1;
    if (posix) {
        struct mq_attr attr = {.mq_maxmsg = 8, .mq_msgsize = size};
        mq_unlink("/pingpong-a");
        mq_unlink("/pingpong-b");
        ping = mq_open("/pingpong-a", O_RDWR | O_CREAT, 0600, &attr);
        pong = mq_open("/pingpong-b", O_RDWR | O_CREAT, 0600, &attr);
        if (ping < 0 || pong < 0) { perror("mq_open"); return 1; }
    } else {
        queue = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
        if (queue < 0) { perror("msgget"); return 1; }
    }
    pid_t child = fork();
    if (argc == 6) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(atoi(argv[child == 0 ? 5 : 4]), &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) { perror("sched_setaffinity"); return 1; }
    }
    for (int i = 0; i < warmup + rounds; i++) {
        if (child == 0) {
            if (posix) { mq_receive(ping, buffer, size, NULL); mq_send(pong, buffer, size, 0); }
            else { msgrcv(queue, buffer, size, 1, 0); *(long *)buffer = 2; msgsnd(queue, buffer, size, 0); }
            continue;
        }
        unsigned long long start = now();
        if (posix) { mq_send(ping, buffer, size, 0); mq_receive(pong, buffer, size, NULL); }
        else { *(long *)buffer = 1; msgsnd(queue, buffer, size, 0); msgrcv(queue, buffer, size, 2, 0); }
        unsigned long long end = now();
        if (i >= warmup) samples[i - warmup] = end - start;
    }
    if (child == 0) return 0;
    waitpid(child, NULL, 0);
    if (posix) { mq_unlink("/pingpong-a"); mq_unlink("/pingpong-b"); }
    else msgctl(queue, IPC_RMID, NULL);
    qsort(samples, rounds, sizeof *samples, compare);
    printf("%llu %llu\n", samples[rounds / 2], samples[(long long)rounds * 99 / 100]);
    return 0;
}
