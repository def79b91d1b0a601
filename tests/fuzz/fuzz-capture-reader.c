/*
 * fuzz-capture-reader.c - libFuzzer target for the capture reader
 * (src/source/capture-reader.h): any bytes as a pcap or pcapng input, read
 * through a stream to the end; every byte of every packet is touched so
 * AddressSanitizer sees a packet that runs past its buffer.
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

#include "lib/log.h"
#include "source/capture-reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct fp_error err;
	struct fp_raw_packet p;
	struct fp_capture_reader *r;
	FILE *fp;
	unsigned sum = 0;

	if (!quiet) {
		fp_log_setup("fuzz", FP_LOG_STYLE_CLI, FP_LOG_ERR);
		quiet = 1;
	}
	if (size == 0)
		return 0;
	fp = fmemopen((void *)data, size, "rb");
	if (fp == NULL)
		return 0;
	r = fp_capture_reader_open_input(-1, fp, 1, "fuzz", &err);
	if (r == NULL)
		return 0;
	while (fp_capture_reader_next(r, &p, &err) == 1) {
		if (p.caplen > p.wirelen)
			__builtin_trap();
		for (uint32_t i = 0; i < p.caplen; i++)
			sum += p.data[i];
	}
	fp_capture_reader_close(r);
	return (int)(sum & 0);
}
