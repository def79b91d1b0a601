/*
 * jsonl-reader.h - JSON lines (NDJSON: one object per line) as columns of
 * text: goflow2, Suricata eve, Zeek JSON logs, VPC flow logs as JSON,
 * NFStream and OCSF exports.
 *
 * Nested objects are flattened with dots ({"flow": {"start": ...}} is the
 * column "flow.start"); a key that already has dots (Zeek's "id.orig_h")
 * is kept as it is. Values become text: strings decoded, numbers in their
 * source text (so 64-bit integers stay exact), true/false, null as null;
 * arrays are not table cells and read as null.
 *
 * The columns are the keys seen in the first FP_JSONL_SAMPLE_LINES lines
 * (in first-seen order); those lines are kept and replayed, so the file is
 * read once. A key first seen later is not a column: it is counted
 * (fp_jsonl_reader_unknown_keys). A line that is not a JSON object is
 * skipped and counted with its line number.
 */
#ifndef FP_FORMAT_JSON_JSONL_READER_H
#define FP_FORMAT_JSON_JSONL_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

#define FP_JSONL_SAMPLE_LINES 1000

/* Does the file's first non-blank byte open an object? */
bool fp_jsonl_looks_like(const char *head, size_t len);

struct fp_jsonl_reader;

struct fp_jsonl_reader *fp_jsonl_reader_open(const char *path, struct fp_error *err);
void fp_jsonl_reader_close(struct fp_jsonl_reader *r);
const struct fp_schema *fp_jsonl_reader_schema(const struct fp_jsonl_reader *r);
long fp_jsonl_reader_next(struct fp_jsonl_reader *r, struct fp_batch *out, struct fp_error *err);
/* Lines skipped (not an object), and the line of the first. */
uint64_t fp_jsonl_reader_skipped(const struct fp_jsonl_reader *r, uint64_t *first_line);
/* Values dropped because their key was not among the sampled columns. */
uint64_t fp_jsonl_reader_unknown_keys(const struct fp_jsonl_reader *r);

#endif
