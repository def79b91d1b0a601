/*
 * parquet-write-bench.c - how fast flowprep's Parquet writer turns a flow
 * table already in memory into a file, and how large the file is.
 *
 *   parquet-write-bench [-n RUNS] [-c CODEC[:LEVEL][,...]] [-o PREFIX] FLOWS.csv
 *
 * The CSV (written by `flowprep pcap ... flows.csv`) is loaded once into
 * record batches of the canonical schema (fp_schema_netflow_v1(): the CSV
 * reader infers int64/double/string, so columns are converted by name into
 * the canonical int32/int64/timestamp/double/string columns), in batches
 * of 8192 rows like the ones `flowprep pcap` emits. Then, for each codec,
 * the batches are written to PREFIX-CODEC.parquet RUNS times (open, write
 * every batch, close, fclose: the page cache takes the bytes, nothing is
 * synced), after one untimed warm-up write, and the best run is reported,
 * one key=value line per codec:
 *
 *   writer=flowprep codec=zstd rows=100237 seconds=0.081 rows_per_s=1237000
 *     out_bytes=2712345 out_MBps=33.5 csv_MBps=110.2 bytes_per_row=27.06
 *
 * out_MBps is Parquet bytes written per second; csv_MBps is the CSV
 * input's size per second (the table's size as text, a codec-independent
 * yardstick); MB = 10^6 bytes. Timing only the write leaves the CSV parse
 * out, so the figure compares with DuckDB's `COPY t TO ... (FORMAT
 * parquet)` from an in-memory table (tests/bench/duckdb-write.mjs).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "format/csv/csv.h"
#include "format/parquet/parquet.h"
#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

/* The batch size `flowprep pcap` emits (FP_METER_DEFAULT_BATCH_ROWS). */
#define BENCH_BATCH_ROWS 8192

struct table {
	struct fp_schema *schema;	/* canonical */
	struct fp_batch **batches;
	size_t nbatches, cap;
	size_t rows;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct fp_batch *table_add_batch(struct table *t)
{
	if (t->nbatches == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct fp_batch **b = realloc(t->batches, cap * sizeof(*b));

		if (b == NULL)
			return NULL;
		t->batches = b;
		t->cap = cap;
	}
	t->batches[t->nbatches] = fp_batch_new(t->schema, BENCH_BATCH_ROWS);
	return t->batches[t->nbatches] ? t->batches[t->nbatches++] : NULL;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->nbatches; i++)
		fp_batch_free(t->batches[i]);
	free(t->batches);
	fp_schema_free(t->schema);
}

/* Copies one cell of the CSV batch into the row being built in `out`,
 * converting to the canonical column's type. */
static int put_cell(struct fp_batch *out, size_t col, const struct fp_field *f, const struct fp_column *in,
		    size_t row, uint64_t line, struct fp_error *err)
{
	const char *p;
	size_t len;
	int64_t v;

	if (!fp_column_is_valid(in, row)) {
		if (!f->nullable)
			return fp_error_set(err, "line %llu: empty value in non-nullable column %s",
					    (unsigned long long)line, f->name);
		fp_batch_put_null(out, col);
		return 0;
	}
	switch (f->type) {
	case FP_TYPE_STRING:
		if (in->type != FP_TYPE_STRING)
			break;
		p = fp_column_bytes(in, row, &len);
		if (fp_batch_put_bytes(out, col, p, len) < 0)
			return fp_error_set(err, "line %llu: out of memory", (unsigned long long)line);
		return 0;
	case FP_TYPE_DOUBLE:
		if (in->type == FP_TYPE_DOUBLE)
			fp_batch_put_f64(out, col, in->v.f64[row]);
		else if (in->type == FP_TYPE_INT64)
			fp_batch_put_f64(out, col, (double)in->v.i64[row]);
		else
			break;
		return 0;
	case FP_TYPE_INT32:
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP:
		if (in->type != FP_TYPE_INT64)
			break;
		v = in->v.i64[row];
		if (f->type == FP_TYPE_INT32) {
			if (v < INT32_MIN || v > INT32_MAX)
				return fp_error_set(err, "line %llu: %s value %lld does not fit int32",
						    (unsigned long long)line, f->name, (long long)v);
			fp_batch_put_i32(out, col, (int32_t)v);
		} else {
			fp_batch_put_i64(out, col, v);
		}
		return 0;
	default:
		break;
	}
	return fp_error_set(err, "column %s: the CSV holds %s, cannot convert to %s", f->name, fp_type_name(in->type),
			    fp_type_name(f->type));
}

/* Loads the whole CSV into t (canonical schema). */
static int load_csv(const char *path, struct table *t, struct fp_error *err)
{
	struct fp_csv_reader *r;
	const struct fp_schema *cs;
	struct fp_batch *in = NULL, *out = NULL;
	int *map = NULL, rc = -1;
	long n;

	if ((t->schema = fp_schema_netflow_v1(err)) == NULL)
		return -1;
	if ((r = fp_csv_reader_open(path, NULL, err)) == NULL)
		return -1;
	cs = fp_csv_reader_schema(r);
	map = calloc(t->schema->nfields, sizeof(*map));
	in = fp_batch_new(cs, BENCH_BATCH_ROWS);
	if (map == NULL || in == NULL) {
		fp_error_set(err, "%s: out of memory", path);
		goto done;
	}
	for (size_t i = 0; i < t->schema->nfields; i++) {
		map[i] = fp_schema_find(cs, t->schema->fields[i].name);
		if (map[i] < 0) {
			fp_error_set(err, "%s: no column %s in the header", path, t->schema->fields[i].name);
			goto done;
		}
	}
	while ((n = fp_csv_reader_next(r, in, err)) > 0) {
		for (size_t row = 0; row < in->nrows; row++) {
			if (out == NULL || fp_batch_full(out)) {
				if ((out = table_add_batch(t)) == NULL) {
					fp_error_set(err, "%s: out of memory", path);
					goto done;
				}
			}
			for (size_t i = 0; i < t->schema->nfields; i++) {
				if (put_cell(out, i, &t->schema->fields[i], &in->cols[map[i]], row,
					     fp_csv_reader_line(r), err) < 0) {
					fp_error_prefix(err, "%s", path);
					goto done;
				}
			}
			fp_batch_end_row(out);
			t->rows++;
		}
	}
	rc = n < 0 ? -1 : 0;
done:
	fp_batch_free(in);
	free(map);
	fp_csv_reader_close(r);
	return rc;
}

/* Writes the whole table once; returns the seconds taken, or -1. */
static double write_once(const struct table *t, const char *path, enum fp_parquet_codec codec, int level,
			 struct fp_error *err)
{
	struct fp_parquet_write_options o;
	struct fp_parquet_writer *w;
	FILE *f;
	double t0 = now_seconds();

	fp_parquet_write_options_defaults(&o);
	o.codec = codec;
	o.compression_level = level;
	if ((f = fopen(path, "wb")) == NULL)
		return fp_error_errno(err, "%s", path);
	if ((w = fp_parquet_writer_open(f, path, t->schema, &o, err)) == NULL)
		goto fail;
	for (size_t i = 0; i < t->nbatches; i++) {
		if (fp_parquet_writer_write(w, t->batches[i], err) < 0) {
			fp_parquet_writer_abort(w);
			goto fail;
		}
	}
	if (fp_parquet_writer_close(w, err) < 0)
		goto fail;
	if (fclose(f) != 0)
		return fp_error_errno(err, "%s", path);
	return now_seconds() - t0;
fail:
	fclose(f);
	return -1;
}

static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* Benchmarks one "CODEC" or "CODEC:LEVEL" (level 0 = the writer's default). */
static int bench_codec(const struct table *t, const char *prefix, const char *codec_name, int runs,
		       long long csv_bytes)
{
	struct fp_error err = { { 0 } };
	char path[4096], name[64], *colon, *end;
	double best = -1, s;
	long level = 0;
	int codec;

	snprintf(name, sizeof(name), "%s", codec_name);
	if ((colon = strchr(name, ':')) != NULL) {
		*colon = '\0';
		level = strtol(colon + 1, &end, 10);
		if (*end || end == colon + 1 || level < -100 || level > 100) {
			fprintf(stderr, "parquet-write-bench: bad level in %s\n", codec_name);
			return -1;
		}
	}
	if ((codec = fp_parquet_codec_parse(name)) < 0) {
		fprintf(stderr, "parquet-write-bench: unknown codec %s\n", name);
		return -1;
	}
	if (level)
		snprintf(path, sizeof(path), "%s-%s-%ld.parquet", prefix, name, level);
	else
		snprintf(path, sizeof(path), "%s-%s.parquet", prefix, name);
	for (int i = 0; i < runs; i++) {
		if ((s = write_once(t, path, (enum fp_parquet_codec)codec, (int)level, &err)) < 0) {
			fprintf(stderr, "parquet-write-bench: %s\n", err.msg);
			return -1;
		}
		if (best < 0 || s < best)
			best = s;
	}
	long long out = file_size(path);
	if (best <= 0)
		best = 1e-9;
	printf("writer=flowprep codec=%s rows=%zu seconds=%.4f rows_per_s=%.0f out_bytes=%lld out_MBps=%.1f "
	       "csv_MBps=%.1f bytes_per_row=%.2f file=%s\n",
	       codec_name, t->rows, best, (double)t->rows / best, out, (double)out / best / 1e6,
	       (double)csv_bytes / best / 1e6, t->rows ? (double)out / (double)t->rows : 0.0, path);
	fflush(stdout);
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: parquet-write-bench [-n RUNS] [-c CODEC[:LEVEL][,...]] [-o PREFIX] FLOWS.csv\n"
		"  -n RUNS   writes per codec, the best is reported (default 3)\n"
		"  -c CODECS comma-separated Parquet codecs, each optionally :LEVEL\n"
		"            (e.g. zstd:3; default zstd,snappy at the writer's default levels)\n"
		"  -o PREFIX output files PREFIX-CODEC.parquet (default: pwb)\n");
}

int main(int argc, char **argv)
{
	struct table t = { 0 };
	struct fp_error err = { { 0 } };
	const char *prefix = "pwb";
	char *codecs = NULL, *codec, *save = NULL;
	int runs = 3, opt, rc = 0;
	double t0;

	while ((opt = getopt(argc, argv, "n:c:o:h")) != -1) {
		switch (opt) {
		case 'n':
			runs = atoi(optarg);
			if (runs < 1 || runs > 100) {
				fprintf(stderr, "parquet-write-bench: -n wants 1 to 100\n");
				return 2;
			}
			break;
		case 'c':
			codecs = optarg;
			break;
		case 'o':
			prefix = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	t0 = now_seconds();
	if (load_csv(argv[optind], &t, &err) < 0) {
		fprintf(stderr, "parquet-write-bench: %s\n", err.msg);
		table_free(&t);
		return 1;
	}
	long long csv_bytes = file_size(argv[optind]);
	printf("loaded=%s rows=%zu csv_bytes=%lld load_seconds=%.3f\n", argv[optind], t.rows, csv_bytes,
	       now_seconds() - t0);
	/* One untimed write first, so the timed ones do not pay first-use
	 * costs (page faults on fresh buffers); duckdb-write.mjs does the same. */
	char warm[4096];
	snprintf(warm, sizeof(warm), "%s-warmup.parquet", prefix);
	if (write_once(&t, warm, FP_CODEC_SNAPPY, 0, &err) < 0) {
		fprintf(stderr, "parquet-write-bench: %s\n", err.msg);
		table_free(&t);
		return 1;
	}
	unlink(warm);
	char *list = strdup(codecs ? codecs : "zstd,snappy");
	if (list == NULL) {
		table_free(&t);
		return 1;
	}
	for (codec = strtok_r(list, ",", &save); codec && rc == 0; codec = strtok_r(NULL, ",", &save))
		rc = bench_codec(&t, prefix, codec, runs, csv_bytes);
	free(list);
	table_free(&t);
	return rc == 0 ? 0 : 1;
}
