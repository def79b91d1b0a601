/*
 * column-choice.h - does a dictionary pay once pages are compressed?
 *
 * Raw sizes mislead after compression: PLAIN port numbers or byte counts
 * compress well (repeated and zero high bytes), while bit-packed
 * dictionary indices barely compress. So when a dictionary is smaller
 * raw, a sample of the chunk (the first values, the dictionary entries
 * they introduce, their indices) is compressed both ways, each ratio is
 * applied to the full chunk's raw size, and the smaller estimate wins.
 */
#ifndef FP_FORMAT_PARQUET_COLUMN_CHOICE_H
#define FP_FORMAT_PARQUET_COLUMN_CHOICE_H

#include <stdbool.h>

#include "format/parquet/codec-compress.h"
#include "format/parquet/column-dict.h"
#include "format/parquet/encode-plain.h"
#include "format/parquet/write-buf.h"
#include "lib/error.h"

/* Sets *pays. `raw` and `packed` are scratch buffers. */
int pq_dict_pays_compressed(const struct pq_values *v, const struct pq_dict *d, int index_bits,
			    struct pq_compressor *comp, struct pq_buf *raw, struct pq_buf *packed, bool *pays,
			    struct fp_error *err);

#endif
