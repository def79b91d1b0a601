/*
 * directories.h - making the folders an output file goes into, durably.
 *
 * `mkdir -p`, and for every directory it creates, an fsync of its parent:
 * a file renamed into a new folder survives a crash only if the folder's
 * own entry does. Shared by the partitioned and rotating sinks and the
 * daemon's spool output.
 */
#ifndef FP_SINK_DIRECTORIES_H
#define FP_SINK_DIRECTORIES_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "sink/atomic-file.h"

/* "DIR/date=YYYY-MM-DD/hour=HH" for the UTC hour holding `t_ns`: the Hive
 * layout Spark, DuckDB and Athena read as two partition columns. Returns
 * -1 when it does not fit in `size`. */
int fp_hive_hour_dir(char *buf, size_t size, const char *dir, int64_t t_ns);

/* Creates `path` and its missing parents (mode 0777 less the umask).
 * `ops` NULL: the real system calls. */
int fp_make_directories(const char *path, const struct fp_file_ops *ops, struct fp_error *err);

#endif
