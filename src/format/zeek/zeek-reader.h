/*
 * zeek-reader.h - a Zeek (Bro) ASCII log, e.g. conn.log, as columns of
 * text.
 *
 * The format: header lines starting with '#' (#separator \x09,
 * #set_separator, #empty_field, #unset_field, #path, #open, #fields,
 * #types), then one record per line, fields split by the separator, no
 * quoting; #close ends a log. The unset field ("-") is null, the empty
 * field ("(empty)") an empty string. A log that is several logs
 * concatenated must repeat the same #fields; another set is an error.
 *
 * Zeek's JSON logs are JSON lines (format/json/jsonl-reader.h).
 */
#ifndef FP_FORMAT_ZEEK_ZEEK_READER_H
#define FP_FORMAT_ZEEK_ZEEK_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

/* Does the file start like a Zeek ASCII log ("#separator ")? */
bool fp_zeek_looks_like(const char *head, size_t len);

struct fp_zeek_reader;

struct fp_zeek_reader *fp_zeek_reader_open(const char *path, struct fp_error *err);
void fp_zeek_reader_close(struct fp_zeek_reader *r);
const struct fp_schema *fp_zeek_reader_schema(const struct fp_zeek_reader *r);
long fp_zeek_reader_next(struct fp_zeek_reader *r, struct fp_batch *out, struct fp_error *err);
/* Records skipped for their width, and the line of the first. */
uint64_t fp_zeek_reader_skipped(const struct fp_zeek_reader *r, uint64_t *first_line);

#endif
