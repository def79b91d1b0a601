/*
 * interrupt.c - the signal flag (see interrupt.h).
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli/interrupt.h"

static volatile sig_atomic_t received;	/* the only global mutable state: a handler's flag */

/* A signal that lands between the read loop's check and a blocking
 * read() would be lost, and the read would wait for ever on a quiet pipe.
 * So once a signal came, SIGALRM is raised every second: each one breaks
 * a blocked read (EINTR), and the loop then sees the flag. */
static void on_signal(int sig)
{
	if (sig != SIGALRM && received == 0)
		received = sig;
	if (received != 0)
		alarm(1);
}

void interrupt_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a blocked read must come back */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
}

int interrupt_pending(void)
{
	return received;
}

int interrupt_exit_status(void)
{
	return 128 + received;
}
