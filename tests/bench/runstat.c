/*
 * runstat.c - run a command several times and report its wall time and
 * peak memory, for the benchmarks (no dependency on GNU time).
 *
 *   runstat [-n RUNS] [-v] -- CMD ARGS...
 *
 * Each run is started with posix_spawnp() (a vfork-style spawn, so the
 * child's peak RSS is the command's own, not a copy of ours) with stdout
 * and stderr sent to /dev/null unless -v, and reaped with wait4() for its
 * rusage. One line of key=value pairs is printed on stdout:
 *
 *   runs=3 min=0.412 median=0.425 max=0.431 cpu_median=0.420 max_rss_kib=51234 status=0
 *
 * min/median/max are wall seconds over the runs; cpu_median is the median
 * user+system CPU seconds; max_rss_kib is the largest ru_maxrss of any run
 * (KiB on Linux). status is 0 when every run exited 0, else the first
 * failing run's exit status (128 + signal number for a signal); runstat
 * then exits 1 after printing, so a broken benchmark is not mistaken for a
 * fast one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 1000

extern char **environ;

struct run_result {
	double wall;	/* seconds */
	double cpu;	/* user + system seconds */
	long maxrss;	/* KiB */
	int status;	/* 0, exit status, or 128 + signal */
};

static void usage(FILE *out)
{
	fprintf(out, "usage: runstat [-n RUNS] [-v] -- CMD ARGS...\n"
		"  -n RUNS  run the command RUNS times (default 3, at most %d)\n"
		"  -v       let the command's stdout/stderr through (default: /dev/null)\n"
		"prints: runs= min= median= max= cpu_median= max_rss_kib= status=\n", MAX_RUNS);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double timeval_seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of n values (sorted in place); the mean of the middle two when n is even. */
static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), compare_doubles);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Starts one run and waits for it. Returns -1 if it could not be started. */
static int run_once(char **argv, int verbose, struct run_result *r)
{
	posix_spawn_file_actions_t actions;
	struct rusage ru;
	pid_t pid;
	int status, rc;
	double t0;

	if (posix_spawn_file_actions_init(&actions) != 0)
		return -1;
	if (!verbose) {
		posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	}
	t0 = now_seconds();
	rc = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (rc != 0) {
		fprintf(stderr, "runstat: cannot run %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("runstat: wait4");
			return -1;
		}
	}
	r->wall = now_seconds() - t0;
	r->cpu = timeval_seconds(&ru.ru_utime) + timeval_seconds(&ru.ru_stime);
	r->maxrss = ru.ru_maxrss;
	if (WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		r->status = 128 + WTERMSIG(status);
	else
		r->status = 255;
	return 0;
}

int main(int argc, char **argv)
{
	struct run_result r;
	double wall[MAX_RUNS], cpu[MAX_RUNS];
	long maxrss = 0;
	int runs = 3, verbose = 0, status = 0, opt, i;
	char *end;

	while ((opt = getopt(argc, argv, "+n:vh")) != -1) {
		switch (opt) {
		case 'n':
			errno = 0;
			runs = (int)strtol(optarg, &end, 10);
			if (errno || *end || runs < 1 || runs > MAX_RUNS) {
				fprintf(stderr, "runstat: -n wants a number from 1 to %d\n", MAX_RUNS);
				return 2;
			}
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	fflush(stdout);
	for (i = 0; i < runs; i++) {
		if (run_once(argv + optind, verbose, &r) < 0)
			return 2;
		wall[i] = r.wall;
		cpu[i] = r.cpu;
		if (r.maxrss > maxrss)
			maxrss = r.maxrss;
		if (r.status != 0 && status == 0)
			status = r.status;
	}
	double med_cpu = median(cpu, runs);
	double med_wall = median(wall, runs);	/* sorts wall: min and max follow */
	printf("runs=%d min=%.3f median=%.3f max=%.3f cpu_median=%.3f max_rss_kib=%ld status=%d\n",
	       runs, wall[0], med_wall, wall[runs - 1], med_cpu, maxrss, status);
	return status == 0 ? 0 : 1;
}
