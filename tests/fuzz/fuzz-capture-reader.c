/*
 * fuzz-capture-reader.c - libFuzzer target for the capture reader
 * (src/source/capture-reader.h): any bytes as a pcap or pcapng input, read
 * through a stream to the end; every byte of every packet is touched so
 * AddressSanitizer sees a packet that runs past its buffer. The same bytes
 * are then read from a regular file (a memfd), which goes through the
 * read-ahead thread: the packets must be the same.
 *
 * Build and run with clang (not part of make check): `make fuzz` builds
 * tests/fuzz/fuzz-capture-reader when clang is found; then e.g.
 *   tests/fuzz/fuzz-capture-reader -max_total_time=60 CORPUS_DIR
 * with a folder of seed captures (../shared/corpus is a good start).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/log.h"
#include "source/capture-reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every packet of `r` (then closes it); the packets and a sum of
 * their bytes, so two reads of the same input can be compared. */
static void read_all(struct fp_capture_reader *r, uint64_t *packets, unsigned *sum)
{
	struct fp_error err;
	struct fp_raw_packet p;

	*packets = 0;
	*sum = 0;
	if (r == NULL)
		return;
	while (fp_capture_reader_next(r, &p, &err) == 1) {
		if (p.caplen > p.wirelen)
			__builtin_trap();
		for (uint32_t i = 0; i < p.caplen; i++)
			*sum += p.data[i];
		(*packets)++;
	}
	fp_capture_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct fp_error err;
	uint64_t n_stream, n_file;
	unsigned sum_stream, sum_file;
	FILE *fp;
	int fd;

	if (!quiet) {
		fp_log_setup("fuzz", FP_LOG_STYLE_CLI, FP_LOG_ERR);
		quiet = 1;
	}
	if (size == 0)
		return 0;
	/* through a stream: the plain buffer */
	fp = fmemopen((void *)data, size, "rb");
	if (fp == NULL)
		return 0;
	read_all(fp_capture_reader_open_input(-1, fp, 1, "fuzz", &err), &n_stream, &sum_stream);
	/* from a regular file (a memfd): the read-ahead thread; the same packets */
	fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return 0;
	}
	read_all(fp_capture_reader_open_input(fd, NULL, 1, "fuzz", &err), &n_file, &sum_file);
	if (n_stream != n_file || sum_stream != sum_file)
		__builtin_trap();
	return 0;
}
