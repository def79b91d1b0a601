/*
 * spill.h - record batches parked in an anonymous temporary file.
 *
 * `flowprep pcap -j N` meters several inputs at once but must write their
 * records in input order, so that the output is byte-identical whatever N.
 * Each worker spills its batches here; the writer replays the spills in
 * order. Memory stays bounded by one batch per worker however large the
 * inputs. The file is unlinked at creation: nothing is left behind.
 */
#ifndef FP_RECORD_SPILL_H
#define FP_RECORD_SPILL_H

#include <stdint.h>
#include <stdio.h>

#include "lib/error.h"
#include "record/batch.h"

struct fp_spill {
	FILE *fp;
	uint64_t rows;
	uint64_t batches;
};

/* Creates the spill file in `dir` (the output's directory: it has room
 * for the output, /tmp may not). */
int fp_spill_open(struct fp_spill *s, const char *dir, struct fp_error *err);
int fp_spill_write(struct fp_spill *s, const struct fp_batch *b, struct fp_error *err);
/* Switches from writing to reading from the start. */
int fp_spill_rewind(struct fp_spill *s, struct fp_error *err);
/* Reads the next batch into `b` (same schema, capacity >= the written
 * batches'). Returns its rows, 0 at the end, -1 on error. */
long fp_spill_read(struct fp_spill *s, struct fp_batch *b, struct fp_error *err);
void fp_spill_close(struct fp_spill *s);

#endif
