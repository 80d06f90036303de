#ifndef CPODBENCH_H
#define CPODBENCH_H

#include <stdint.h>
#include <sys/types.h>

/// The node's CLOCK_MONOTONIC in nanoseconds (one clock for every container on a node).
uint64_t podbench_monotonic_ns(void);

/// Arms a deadline: when `seconds` pass, writes `message` (kept by reference) to stdout and
/// exits with status 124. Async-signal-safe. `seconds` 0 disarms.
void podbench_arm_deadline(unsigned int seconds, const char *message);

/// Sets this thread's timer slack (prctl PR_SET_TIMERSLACK, variadic in C).
int podbench_set_timer_slack(unsigned long nanoseconds);

/// Catches SIGINT and SIGTERM (whatever disposition was inherited) and returns the read end
/// of a pipe that receives one byte, the signal number, per signal.
int podbench_interrupt_fd(void);

/// A process file descriptor for `pid` (pidfd_open): signals sent through it can never reach
/// another process that reuses the pid.
int podbench_pidfd_open(pid_t pid);

/// Sends `sig` through a process file descriptor (pidfd_send_signal).
int podbench_pidfd_kill(int pidfd, int sig);

#endif
