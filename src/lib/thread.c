/*
 * thread.c - helper threads that never take a signal (see thread.h). The
 * new thread inherits the creator's mask, so the mask is set around the
 * creation and put back at once.
 */
#include "config.h"

#include <signal.h>

#include "lib/thread.h"

int fp_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
