#ifndef CPODBENCH_SANDBOX_H
#define CPODBENCH_SANDBOX_H

/// The exit status a sandbox set-up failure ends the probe with (as container engines use).
#define PODBENCH_SANDBOX_EXIT 125

/// Whether this process was set up as a pod's infrastructure (1) or a container (2) by the
/// constructor that ran before main, or neither (0). Calling it also keeps the constructor
/// linked into the executable.
int podbench_sandbox_mode(void);


#endif
