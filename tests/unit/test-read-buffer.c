/*
 * test-read-buffer.c - the input buffer, with and without the read-ahead
 * thread: a file of known bytes is consumed in random steps (small
 * records, records straddling block ends, requests larger than a block
 * that send the read-ahead back to plain reads), and every byte handed
 * out, every position and the end of input must be exactly the file's.
 * Also: a pipe (no read-ahead: not a regular file), and freeing the
 * buffer while the thread is still reading ahead.
 */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source/read-buffer.h"
#include "test.h"

#define FILE_BYTES ((size_t)7 << 20)	/* several read-ahead blocks */

static char path[] = "/tmp/fp-test-read-buffer-XXXXXX";
static uint8_t *content;

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)
{
	return test_xorshift(&rng_state);
}

static bool make_file(void)
{
	int fd = mkstemp(path);
	bool ok;

	if (fd < 0)
		return false;
	content = malloc(FILE_BYTES);
	for (size_t i = 0; i < FILE_BYTES; i++)
		content[i] = (uint8_t)(rng() >> 32);
	ok = write(fd, content, FILE_BYTES) == (ssize_t)FILE_BYTES;
	close(fd);
	return ok;
}

/* The size of the next request: mostly packet-sized, sometimes a block's
 * worth or more (fallback to plain reads when `big`). */
static size_t next_request(bool big)
{
	uint64_t r = rng() % 1000;

	if (big && r == 0)
		return (size_t)(1u << 20) + 4096 + rng() % ((size_t)2 << 20);
	if (r < 10)
		return 200000 + rng() % 60000;	/* under the 256 KiB head room */
	return 16 + rng() % 1600;
}

/* Consumes the whole input from `b` in random steps, checking each. */
static void consume(struct fp_read_buffer *b, bool big)
{
	uint64_t pos = 0;
	int bad = 0;

	while (pos < FILE_BYTES && bad < 5) {
		size_t want = next_request(big), got = fp_read_buffer_need(b, want);
		size_t expect = FILE_BYTES - pos < want ? FILE_BYTES - pos : want;

		if (got != expect || memcmp(fp_read_buffer_at(b), content + pos, got) != 0) {
			fprintf(stderr, "at %llu asked %zu: got %zu (expected %zu)\n", (unsigned long long)pos, want,
				got, expect);
			bad++;
		}
		fp_read_buffer_skip(b, got < want / 2 + 1 ? got : want / 2 + 1);
		pos += got < want / 2 + 1 ? got : want / 2 + 1;
		if (fp_read_buffer_position(b) != pos)
			bad++;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(fp_read_buffer_position(b), FILE_BYTES);
	CHECK_EQ_INT(fp_read_buffer_need(b, 1), 0);
	CHECK(b->eof);
	CHECK_EQ_INT(b->error, 0);
}

static void read_file(bool read_ahead, bool big)
{
	struct fp_read_buffer b;
	int fd = open(path, O_RDONLY);

	CHECK(fd >= 0);
	CHECK_EQ_INT(fp_read_buffer_init(&b, fd, NULL, true, read_ahead), 0);
	CHECK(read_ahead == (b.ahead != NULL));
	consume(&b, big);
	if (big)
		CHECK(b.ahead == NULL);	/* a request larger than a block ended it */
	fp_read_buffer_free(&b);
}

static void test_plain_reads(void)
{
	read_file(false, false);
	read_file(false, true);
}

static void test_read_ahead(void)
{
	read_file(true, false);
}

static void test_read_ahead_falls_back(void)
{
	read_file(true, true);
}

/* A pipe is not read ahead (read() on it may wait for ever); the bytes
 * still arrive, in order. */
static void test_pipe(void)
{
	struct fp_read_buffer b;
	int fds[2];
	pid_t child;

	CHECK(pipe(fds) == 0);
	child = fork();
	if (child == 0) {
		size_t at = 0;

		close(fds[0]);
		while (at < FILE_BYTES) {
			ssize_t w = write(fds[1], content + at, FILE_BYTES - at < 70000 ? FILE_BYTES - at : 70000);

			if (w <= 0)
				_exit(1);
			at += (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	CHECK_EQ_INT(fp_read_buffer_init(&b, fds[0], NULL, true, true), 0);
	CHECK(b.ahead == NULL);
	consume(&b, false);
	fp_read_buffer_free(&b);
	waitpid(child, NULL, 0);
}

/* Freed after a few bytes, with the thread filling blocks: it stops and
 * everything is freed (AddressSanitizer's leak check holds us to it). */
static void test_free_early(void)
{
	for (int i = 0; i < 20; i++) {
		struct fp_read_buffer b;
		int fd = open(path, O_RDONLY);

		CHECK_EQ_INT(fp_read_buffer_init(&b, fd, NULL, true, true), 0);
		CHECK_EQ_INT(fp_read_buffer_need(&b, 100), 100);
		CHECK(memcmp(fp_read_buffer_at(&b), content, 100) == 0);
		fp_read_buffer_free(&b);
	}
}

/* A file shorter than a block, and an empty one. */
static void test_small_files(void)
{
	static const size_t sizes[] = { 0, 1, 4095, 4096, 100000 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char small[] = "/tmp/fp-test-read-buffer-small-XXXXXX";
		int fd = mkstemp(small);
		struct fp_read_buffer b;

		CHECK(fd >= 0 && write(fd, content, sizes[i]) == (ssize_t)sizes[i]);
		CHECK(lseek(fd, 0, SEEK_SET) == 0);
		CHECK_EQ_INT(fp_read_buffer_init(&b, fd, NULL, true, true), 0);
		CHECK_EQ_INT(fp_read_buffer_need(&b, sizes[i] + 10), sizes[i]);
		CHECK(sizes[i] == 0 || memcmp(fp_read_buffer_at(&b), content, sizes[i]) == 0);
		CHECK(b.eof);
		fp_read_buffer_free(&b);
		unlink(small);
	}
}

int main(void)
{
	if (!make_file()) {
		fprintf(stderr, "cannot write %s\n", path);
		return 1;
	}
	RUN(test_plain_reads);
	RUN(test_read_ahead);
	RUN(test_read_ahead_falls_back);
	RUN(test_pipe);
	RUN(test_free_early);
	RUN(test_small_files);
	unlink(path);
	free(content);
	return TEST_RESULT();
}
