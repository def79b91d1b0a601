/*
 * atomic-file.h - an output file that appears under its final name only
 * when complete.
 *
 * Data goes to a hidden temporary file in the same directory
 * (".NAME.tmp-XXXXXX"); commit flushes it, fsyncs it, renames it over
 * the final name and fsyncs the directory, so a reader (or a crash) sees
 * either nothing or the whole file. Abort removes the temporary file.
 */
#ifndef FP_SINK_ATOMIC_FILE_H
#define FP_SINK_ATOMIC_FILE_H

#include <stdio.h>

#include "lib/error.h"

struct fp_atomic_file {
	char *final_path;
	char *tmp_path;
	FILE *fp;		/* write here */
	char *stdio_buf;	/* our 1 MiB buffer for fp */
};

int fp_atomic_file_open(struct fp_atomic_file *af, const char *path, struct fp_error *err);
int fp_atomic_file_commit(struct fp_atomic_file *af, struct fp_error *err);
void fp_atomic_file_abort(struct fp_atomic_file *af);

#endif
