/*
 * outputs.c - the daemon's output streams (see outputs.h): what to open,
 * captured on the loop thread as plain arguments, and the factories that
 * open it on the output thread.
 */
#include "config.h"

#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/kafka-publisher.h"
#include "daemon/outputs.h"
#include "lib/log.h"
#include "sink/directories.h"
#include "sink/file-sink.h"
#include "sink/kafka-sink.h"

/* Everything a factory needs, copied: a reload may change the config
 * before the output thread gets to the job. */
struct output_args {
	const struct fp_schema *schema;		/* the daemon's record schema: lives as long as it */
	char *dir;
	unsigned formats;
	struct fp_format_options format;
	int64_t rotate_ns;
	int64_t now_ns;
	char *stem;				/* live: HOST_SOURCE; spool: HOST_spool_NAME_FIRST */
	int64_t first_ns;			/* spool: the partition's time */
	struct fp_kafka_producer *kafka;	/* or NULL; outlives every stream */
};

static void free_args(void *p)
{
	struct output_args *a = p;

	free(a->dir);
	free(a->stem);
	free(a);
}

static struct output_args *new_args(struct fpd_daemon *d, const char *stem)
{
	struct output_args *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->schema = fp_flow_features_schema(d->features);
	a->dir = strdup(d->cfg.output.directory);
	a->stem = strdup(stem);
	a->formats = d->cfg.output.formats;
	a->format = d->cfg.output.format;
	a->rotate_ns = d->cfg.output.rotate_ns;
	a->now_ns = fpd_now_ns();
	a->kafka = d->kafka != NULL ? fpd_kafka_producer(d->kafka) : NULL;
	if (a->dir == NULL || a->stem == NULL) {
		free_args(a);
		return NULL;
	}
	return a;
}

/* One sink per format, and Kafka's from the same batches, teed when there
 * are several. */
static struct fp_sink *per_format(struct output_args *a, const struct fpd_publish *pub,
				  struct fp_sink *(*one)(struct output_args *, const struct fpd_publish *,
							 enum fp_format, struct fp_error *),
				  struct fp_error *err)
{
	struct fp_sink *sinks[FP_FORMAT_JSONL + 2];
	size_t n = 0;

	for (int f = FP_FORMAT_CSV; f <= FP_FORMAT_JSONL; f++) {
		if (!((a->formats >> f) & 1u))
			continue;
		sinks[n] = one(a, pub, (enum fp_format)f, err);
		if (sinks[n] == NULL) {
			while (n > 0)
				fp_sink_abort(sinks[--n]);
			return NULL;
		}
		n++;
	}
	if (n == 0)
		return fp_error_set(err, "no output format configured"), NULL;
	if (a->kafka != NULL && (sinks[n++] = fp_kafka_sink_open(a->kafka, a->schema, err)) == NULL) {
		for (n--; n > 0;)
			fp_sink_abort(sinks[--n]);
		return NULL;
	}
	return n == 1 ? sinks[0] : fp_tee_sink_new(sinks, n, err);
}

static struct fp_sink *one_live(struct output_args *a, const struct fpd_publish *pub, enum fp_format f,
				struct fp_error *err)
{
	struct fp_rotate_sink_options o = { 0 };

	o.dir = a->dir;
	o.stem = a->stem;
	o.format = a->format;
	o.format.format = f;
	o.interval_ns = a->rotate_ns;
	o.published = pub->fn;
	o.ctx = pub->ctx;
	return fp_rotate_sink_open(a->schema, &o, a->now_ns, err);
}

static struct fp_sink *make_live(void *arg, const struct fpd_publish *pub, struct fp_error *err)
{
	return per_format(arg, pub, one_live, err);
}

static struct fp_sink *one_spool(struct output_args *a, const struct fpd_publish *pub, enum fp_format f,
				 struct fp_error *err)
{
	char dir[4096], path[4600];
	struct fp_format_options fo = a->format;

	(void)pub;	/* published at close: the CLOSED event says so */
	fo.format = f;
	if (fp_hive_hour_dir(dir, sizeof(dir), a->dir, a->first_ns) < 0 ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s.%s", dir, a->stem, fp_format_extension(f)) >= sizeof(path))
		return fp_error_set(err, "%s: output path too long", a->dir), NULL;
	if (fp_make_directories(dir, NULL, err) < 0)
		return NULL;
	return fp_file_sink_open(path, a->schema, &fo, err);
}

static struct fp_sink *make_spool(void *arg, const struct fpd_publish *pub, struct fp_error *err)
{
	return per_format(arg, pub, one_spool, err);
}

uint32_t fpd_output_open_live(struct fpd_daemon *d, const char *source)
{
	char stem[256];
	struct output_args *a;

	snprintf(stem, sizeof(stem), "%s_%s", d->host, source);
	a = new_args(d, stem);
	return fpd_writer_open(d->writer, make_live, a, free_args);
}

uint32_t fpd_output_open_spool(struct fpd_daemon *d, const char *spool_name, int64_t first_packet_ns)
{
	char stem[1024];
	struct output_args *a;

	snprintf(stem, sizeof(stem), "%s_spool_%s_%" PRId64, d->host, spool_name, first_packet_ns);
	a = new_args(d, stem);
	if (a != NULL)
		a->first_ns = first_packet_ns;
	return fpd_writer_open(d->writer, make_spool, a, free_args);
}

/* ------------------------------------------------------------------ sweep */

/* nftw has no context argument: the prefix lives here for one walk, on
 * the loop thread, before the output thread starts writing. */
static __thread const char *sweep_prefix;
static __thread size_t sweep_prefix_len;
static __thread unsigned swept;

static int sweep_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *name = path + ftw->base;

	(void)st;
	if (type == FTW_F && name[0] == '.' && strncmp(name + 1, sweep_prefix, sweep_prefix_len) == 0 &&
	    strstr(name, ".tmp-") != NULL && unlink(path) == 0)
		swept++;
	return 0;
}

void fpd_output_sweep(struct fpd_daemon *d)
{
	char prefix[80];

	snprintf(prefix, sizeof(prefix), "%s_", d->host);
	sweep_prefix = prefix;
	sweep_prefix_len = strlen(prefix);
	swept = 0;
	if (access(d->cfg.output.directory, F_OK) == 0)
		nftw(d->cfg.output.directory, sweep_one, 16, FTW_PHYS);
	if (swept > 0)
		fp_log(FP_LOG_NOTICE, "%s: removed %u unfinished temporary files of an earlier run",
		       d->cfg.output.directory, swept);
}
