/*
 * cmd-canonicalize.c - `flowprep canonicalize [OPTIONS] INPUT... OUTPUT`:
 * flow tables from other tools (CSV/TSV, Parquet, JSON lines, Zeek logs)
 * onto the canonical schema, into one CSV, Parquet or JSON lines file.
 *
 * The work is src/canon's: this file reads options, opens each input by
 * content, builds its plan, streams batches through fp_canon_run() into
 * one file sink, and prints each input's report. Memory is two batches of
 * --batch-rows rows (input and output) plus the writer's row group,
 * whatever the input's size.
 *
 * Inputs are independent: one that cannot be read or mapped is reported
 * and skipped, the others still land in the output (exit status 2). All
 * inputs must map to the same output columns (same labels, same
 * --keep-extra columns) as the first one that maps.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canon/canonicalize.h"
#include "canon/plan.h"
#include "canon/report.h"
#include "canon/spec.h"
#include "cli/cli.h"
#include "format/table-reader.h"
#include "lib/log.h"
#include "lib/parse-value.h"
#include "sink/sink.h"

#define DEFAULT_BATCH_ROWS 65536

struct canon_cli {
	struct fp_canon_options canon;
	struct fp_format_options sink;
	const char *schema_path;
	size_t batch_rows;
	bool explain, quiet;
};

/* What the run has made so far. */
struct canon_run {
	struct fp_canon_spec *spec;
	struct fp_canon_plan *first;	/* the first input's plan: the output's columns */
	struct fp_schema *out_schema;
	struct fp_sink *sink;
	const char *out_path;
	int status;
	double seconds;
	uint64_t rows_out;
};

static void canon_usage(FILE *out)
{
	fprintf(out,
		"Usage: flowprep canonicalize [OPTIONS] INPUT... OUTPUT\n"
		"\n"
		"Map flow tables from other tools (CIC-IDS/CICFlowMeter, UNSW-NB15, NetFlow/IPFIX\n"
		"datasets, nfdump, Zeek, AWS VPC, goflow2, NFStream, Suricata eve...) onto flowprep's\n"
		"canonical schema. Inputs: CSV/TSV, Parquet, JSON lines, Zeek logs (told apart by\n"
		"content). OUTPUT: .csv, .parquet or .jsonl. Label columns pass through unchanged.\n"
		"\n"
		"Options:\n"
		"      --explain            print each input's mapping and write nothing\n"
		"      --keep-extra         keep columns that are neither canonical fields nor labels\n"
		"      --allow-missing F,.. canonical fields that may have no column (null instead)\n"
		"      --schema FILE        another schema.json (aliases, units, labels)\n"
		"      --timezone TZ        zone of datetimes without one: UTC (default), +02:00, -0300\n"
		"      --month-first        slashed dates are M/D/YYYY (default D/M/YYYY, as CIC writes)\n"
		"  -f, --format FMT         csv, parquet or jsonl (overrides the extension)\n"
		"      --compression C      Parquet codec: zstd (default), snappy, gzip, none\n"
		"      --batch-rows N       rows converted at a time (default 65536)\n"
		"  -q, --quiet              no per-input report\n"
		"  -h, --help               this help\n");
}

enum { OPT_EXPLAIN = 256, OPT_KEEP_EXTRA, OPT_ALLOW_MISSING, OPT_SCHEMA, OPT_TIMEZONE, OPT_MONTH_FIRST,
       OPT_COMPRESSION, OPT_BATCH_ROWS };

static const struct option canon_options[] = {
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "keep-extra", no_argument, NULL, OPT_KEEP_EXTRA },
	{ "allow-missing", required_argument, NULL, OPT_ALLOW_MISSING },
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "timezone", required_argument, NULL, OPT_TIMEZONE },
	{ "month-first", no_argument, NULL, OPT_MONTH_FIRST },
	{ "format", required_argument, NULL, 'f' },
	{ "compression", required_argument, NULL, OPT_COMPRESSION },
	{ "batch-rows", required_argument, NULL, OPT_BATCH_ROWS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int option_error(const char *option, struct fp_error *err)
{
	fp_error_prefix(err, "%s", option);
	fp_log_err("canonicalize: %s", err->msg);
	return -1;
}

static int parse_option(struct canon_cli *o, int c, const char *arg)
{
	struct fp_error err = { "" };
	uint64_t n;
	int v;

	switch (c) {
	case OPT_EXPLAIN: o->explain = true; return 0;
	case OPT_KEEP_EXTRA: o->canon.keep_extra = true; return 0;
	case OPT_ALLOW_MISSING: o->canon.allow_missing = arg; return 0;
	case OPT_SCHEMA: o->schema_path = arg; return 0;
	case OPT_MONTH_FIRST: o->canon.time.month_first = true; return 0;
	case 'q': o->quiet = true; return 0;
	case OPT_TIMEZONE:
		if (fp_canon_parse_tz_offset(arg, &o->canon.time.tz_offset_s) == 0)
			return 0;
		fp_error_set(&err, "'%s' is not a zone (use UTC or an offset such as +02:00 or -0300; named zones"
			     " are not read)", arg);
		return option_error("--timezone", &err);
	case 'f':
		if ((v = fp_format_parse(arg)) < 0) {
			fp_error_set(&err, "'%s' is not one of " FP_FORMAT_NAMES, arg);
			return option_error("--format", &err);
		}
		o->sink.format = (enum fp_format)v;
		return 0;
	case OPT_COMPRESSION:
		if (fp_parse_enum(arg, fp_parquet_writer_codec_names, &v, &err) < 0)
			return option_error("--compression", &err);
		o->sink.parquet.codec = (enum fp_parquet_codec)v;
		return 0;
	case OPT_BATCH_ROWS:
		if (fp_parse_count(arg, 1, 10000000, &n, &err) < 0)
			return option_error("--batch-rows", &err);
		o->batch_rows = (size_t)n;
		return 0;
	}
	return -1;
}

/* ------------------------------------------------------------ one input */

/* The input's records that were no rows, and JSON keys not read. */
static void report_reader(struct fp_table_reader *t, bool quiet)
{
	uint64_t first = 0, skipped = fp_table_skipped(t, &first), unknown = fp_table_unknown_keys(t);

	if (skipped && !quiet)
		fprintf(stderr, "  skipped %" PRIu64 " record%s that %s no table row (first at line %" PRIu64 ")\n",
			skipped, skipped == 1 ? "" : "s", skipped == 1 ? "was" : "were", first);
	if (unknown && !quiet)
		fprintf(stderr, "  %" PRIu64 " JSON value%s under keys first seen after the sampled lines were not"
			" read\n", unknown, unknown == 1 ? "" : "s");
}

/* Opens the output for the first plan; checks later plans against it. */
static int attach_output(struct canon_run *run, struct fp_canon_plan *plan, const struct canon_cli *o,
			 const char *path, struct fp_error *err)
{
	char why[256];

	if (run->first == NULL) {
		run->out_schema = fp_schema_clone(plan->out);
		if (run->out_schema == NULL)
			return fp_error_set(err, "out of memory");
		run->sink = fp_file_sink_open(run->out_path, run->out_schema, &o->sink, err);
		if (run->sink == NULL)
			return -1;
		run->first = plan;
		return 1;
	}
	if (!fp_canon_plan_same_output(run->first, plan, why, sizeof(why)))
		return fp_error_set(err, "%s: %s; canonicalize it into another file", path, why);
	return 0;
}

/* Streams one mapped input into the sink. */
static int stream_input(struct canon_run *run, struct fp_table_reader *t, struct fp_canon_plan *plan,
			const struct canon_cli *o, struct fp_canon_report *rep, struct fp_error *err)
{
	struct fp_batch *in = fp_batch_new(fp_table_schema(t), o->batch_rows);
	struct fp_batch *out = fp_batch_new(run->out_schema, o->batch_rows);
	uint64_t first_row = 0;
	long n;
	int rc = 0;

	if (in == NULL || out == NULL) {
		rc = fp_error_set(err, "out of memory");
		goto out;
	}
	out->schema = run->out_schema;
	while ((n = fp_table_next(t, in, err)) > 0) {
		if (fp_canon_run(plan, in, first_row, out, rep, err) < 0 || fp_sink_write(run->sink, out, err) < 0) {
			rc = -1;
			goto out;
		}
		first_row += (uint64_t)n;
	}
	rc = n < 0 ? -1 : 0;
out:
	fp_batch_free(in);
	fp_batch_free(out);
	return rc;
}

static void one_input(struct canon_run *run, const char *path, const struct canon_cli *o)
{
	struct fp_table_open_options to = { .text_as_strings = true };
	struct fp_error err = { "" };
	struct fp_canon_report rep;
	struct fp_table_reader *t = fp_table_open_with(path, &to, &err);
	struct fp_canon_plan *plan = NULL;
	int attached = 0, rc = -1;

	fp_canon_report_init(&rep);
	if (t == NULL)
		goto out;
	plan = fp_canon_plan_new(run->spec, fp_table_schema(t), &o->canon, path, &err);
	if (plan == NULL)
		goto out;
	if (o->explain) {
		printf("%s (%s):\n", path, fp_table_format_name(fp_table_format(t)));
		fp_canon_plan_explain(plan, stdout);
		rc = 0;
		goto out;
	}
	if ((attached = attach_output(run, plan, o, path, &err)) < 0)
		goto out;
	rc = stream_input(run, t, plan, o, &rep, &err);
	run->rows_out += rep.rows_out;
	if (!o->quiet)
		fp_canon_report_print(&rep, path, stderr);
	report_reader(t, o->quiet);
out:
	if (rc < 0) {
		fp_log_err("canonicalize: %s", err.msg);
		run->status = FP_EXIT_INPUT_ERRORS;
	}
	fp_canon_report_free(&rep);
	if (attached != 1)	/* the first plan lives as long as the output */
		fp_canon_plan_free(plan);
	fp_table_close(t);
}

/* ------------------------------------------------------------ the command */

static int finish(struct canon_run *run, const struct canon_cli *o, int ninputs)
{
	struct fp_error err = { "" };
	int status = run->status;

	if (run->sink != NULL && fp_sink_close(run->sink, &err) < 0) {
		fp_log_err("canonicalize: %s", err.msg);
		status = FP_EXIT_FAILURE;
	} else if (run->sink == NULL && !o->explain) {
		fp_log_err("canonicalize: no input could be mapped; %s not written", run->out_path);
		status = FP_EXIT_FAILURE;
	} else if (!o->quiet && !o->explain) {
		double s = monotonic_seconds() - run->seconds;
		fprintf(stderr, "%s: %" PRIu64 " row%s from %d input%s in %.2f s\n", run->out_path, run->rows_out,
			run->rows_out == 1 ? "" : "s", ninputs, ninputs == 1 ? "" : "s", s);
	}
	fp_canon_plan_free(run->first);
	fp_schema_free(run->out_schema);
	fp_canon_spec_free(run->spec);
	return status;
}

static int check_output_name(const struct canon_cli *o, const char *path)
{
	if (o->explain || o->sink.format != FP_FORMAT_AUTO || fp_format_from_path(path) != FP_FORMAT_AUTO)
		return 0;
	fp_log_err("canonicalize: cannot tell the format of '%s' from its name: use .csv, .parquet or .jsonl,"
		   " or --format", path);
	return -1;
}

int cmd_canonicalize(int argc, char **argv)
{
	struct canon_cli o;
	struct canon_run run = { 0 };
	struct fp_error err = { "" };
	int c, ninputs;

	memset(&o, 0, sizeof(o));
	fp_format_options_defaults(&o.sink);
	o.batch_rows = DEFAULT_BATCH_ROWS;
	while ((c = getopt_long(argc, argv, "f:qh", canon_options, NULL)) != -1) {
		if (c == 'h') {
			canon_usage(stdout);
			return FP_EXIT_OK;
		}
		if (c == '?' || parse_option(&o, c, optarg) < 0)
			return FP_EXIT_FAILURE;
	}
	/* --explain reads the inputs only; an OUTPUT after them is ignored */
	ninputs = argc - optind;
	if (!o.explain || (ninputs >= 2 && access(argv[argc - 1], F_OK) != 0))
		ninputs--;
	if (ninputs < 1) {
		canon_usage(stderr);
		return FP_EXIT_FAILURE;
	}
	run.out_path = o.explain ? NULL : argv[argc - 1];
	if (!o.explain && check_output_name(&o, run.out_path) < 0)
		return FP_EXIT_FAILURE;
	run.spec = o.schema_path ? fp_canon_spec_load(o.schema_path, &err) : fp_canon_spec_default(&err);
	if (run.spec == NULL) {
		fp_log_err("canonicalize: %s", err.msg);
		return FP_EXIT_FAILURE;
	}
	run.seconds = monotonic_seconds();
	for (int i = 0; i < ninputs; i++)
		one_input(&run, argv[optind + i], &o);
	return finish(&run, &o, ninputs);
}
