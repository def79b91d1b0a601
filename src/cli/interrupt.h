/*
 * interrupt.h - SIGINT and SIGTERM during a run.
 *
 * The handler only records which signal came (the one piece of global
 * mutable state the CLI has: a handler can reach nothing else). The read
 * loops poll it between slices of packets and stop; the caller then
 * discards the hidden temporary file (or, if asked, publishes what was
 * metered) and exits 128 + the signal number. The handler is installed
 * without SA_RESTART, so a read blocked on a pipe returns at once.
 */
#ifndef FP_CLI_INTERRUPT_H
#define FP_CLI_INTERRUPT_H

void interrupt_install(void);
/* The signal received (SIGINT, SIGTERM), or 0. */
int interrupt_pending(void);
/* 128 + the signal: the status a shell gives a process killed by it. */
int interrupt_exit_status(void);

#endif
