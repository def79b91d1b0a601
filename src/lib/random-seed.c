/*
 * random-seed.c - 64 unpredictable bits (see random-seed.h).
 *
 * Each source is tried in turn and the first that fills all 8 bytes wins;
 * the last one (clocks, pid, an address) cannot fail, so neither can
 * fp_random_seed(). getrandom is asked not to block: before the kernel's
 * pool is ready it fails, and the next source answers instead.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<sys/random.h>)
#include <sys/random.h>
#define HAVE_GETRANDOM_CALL 1
#endif
#endif

#include "lib/hash.h"
#include "lib/random-seed.h"

static bool from_getrandom(uint64_t *seed)
{
#ifdef HAVE_GETRANDOM_CALL
	ssize_t n;

	do
		n = getrandom(seed, sizeof(*seed), GRND_NONBLOCK);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*seed);
#else
	(void)seed;
	return false;
#endif
}

static bool from_urandom(uint64_t *seed)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	do
		n = read(fd, seed, sizeof(*seed));
	while (n < 0 && errno == EINTR);
	close(fd);
	return n == (ssize_t)sizeof(*seed);
}

/* Everything here changes from run to run and none of it shows on the wire. */
static uint64_t from_clocks(void)
{
	struct timespec real, mono;
	uint64_t h;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	h = fp_mix64((uint64_t)real.tv_sec * 1000000000u + (uint64_t)real.tv_nsec);
	h = fp_mix64(h ^ ((uint64_t)mono.tv_sec * 1000000000u + (uint64_t)mono.tv_nsec));
	h = fp_mix64(h ^ (uint64_t)getpid());
	return fp_mix64(h ^ (uint64_t)(uintptr_t)&h);
}

uint64_t fp_random_seed(void)
{
	uint64_t seed;

	if (from_getrandom(&seed) || from_urandom(&seed))
		return seed;
	return from_clocks();
}
