/*
 * thread.h - helper threads that never take a signal.
 *
 * A helper (read-ahead, output writer) starts with every signal blocked,
 * so SIGINT, SIGTERM and friends keep running their handlers on the
 * threads that ran them before there were helpers, and a read() in a
 * helper is never cut short by them.
 */
#ifndef FP_LIB_THREAD_H
#define FP_LIB_THREAD_H

#include <pthread.h>

/* pthread_create() with every signal blocked in the new thread; 0 or an
 * errno value. */
int fp_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);

#endif
