/*
 * cmd-pcap.c - `flowprep pcap INPUT... OUTPUT`: judge the arguments, check
 * every input and the output's place before any work, run, and report.
 *
 * The order is the user's time: usage errors (status 1) and an output that
 * cannot be written (1) are found before metering starts, as are inputs
 * that cannot be opened (reported at once; if none can, status 2 and no
 * output). A signal stops the run: the hidden temporary file is removed
 * (or, with --publish-on-interrupt, the flows so far are published) and
 * the status is 128 + the signal.
 */
#include "config.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/interrupt.h"
#include "cli/pcap-options.h"
#include "cli/pcap-run.h"
#include "cli/pcap-summary.h"
#include "lib/log.h"
#include "lib/prefault.h"
#include "pipeline/meter.h"
#include "sink/file-sink.h"
#include "sink/sink.h"

/* Writing over an input would destroy it on the final rename. */
static int output_is_an_input(const struct pcap_options *o)
{
	struct stat out, in;

	if (strcmp(o->output, "-") == 0 || stat(o->output, &out) != 0 || !S_ISREG(out.st_mode))
		return 0;
	for (size_t i = 0; i < o->ninputs; i++) {
		if (stat(o->inputs[i], &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
			fp_log_err("the output %s is also an input", o->output);
			return 1;
		}
	}
	return 0;
}

/* The output's format, and what does not go with it. */
static int check_format(struct pcap_options *o)
{
	enum fp_format by_name = strcmp(o->output, "-") == 0 ? FP_FORMAT_AUTO : fp_format_from_path(o->output);
	struct stat st;
	bool stream = strcmp(o->output, "-") == 0 || (stat(o->output, &st) == 0 && !S_ISREG(st.st_mode));

	if (stream && strcmp(o->output, "-") != 0 && S_ISDIR(st.st_mode)) {
		fp_log_err("%s: is a directory (give a file name inside it)", o->output);
		return -1;
	}
	if (o->sink.format == FP_FORMAT_AUTO && strcmp(o->output, "-") == 0) {
		fp_log_err("writing to standard output (-) needs a format: use -f csv, parquet or jsonl");
		return -1;
	}
	if (o->sink.format == FP_FORMAT_AUTO && by_name == FP_FORMAT_AUTO && stream)
		o->sink.format = FP_FORMAT_CSV;	/* a device or FIFO (/dev/null): CSV unless told */
	if (o->sink.format == FP_FORMAT_AUTO && by_name == FP_FORMAT_AUTO) {
		fp_log_err("cannot tell the format of '%s' from its name: use .csv, .parquet or .jsonl, or --format",
			   o->output);
		return -1;
	}
	if (o->sink.format != FP_FORMAT_AUTO && by_name != FP_FORMAT_AUTO && by_name != o->sink.format)
		fp_log_warn("'%s' is named like %s, but --format %s was given: writing %s", o->output,
			    fp_format_name(by_name), fp_format_name(o->sink.format), fp_format_name(o->sink.format));
	if (o->compression_set && (o->sink.format != FP_FORMAT_AUTO ? o->sink.format : by_name) != FP_FORMAT_PARQUET) {
		fp_log_err("--compression sets the Parquet codec; %s output is not compressed (compress the file "
			   "afterwards, e.g. zstd %s)", fp_format_name(o->sink.format != FP_FORMAT_AUTO ? o->sink.format
											     : by_name),
			   o->output);
		return -1;
	}
	return 0;
}

static int check_arguments(struct pcap_options *o)
{
	struct fp_error err = { "" };
	size_t stdin_inputs = 0;

	for (size_t i = 0; i < o->ninputs; i++)
		stdin_inputs += strcmp(o->inputs[i], "-") == 0;
	if (stdin_inputs > 1) {
		fp_log_err("standard input (-) can be an input only once");
		return -1;
	}
	if (o->filter && input_filter_check(o->filter, &err) < 0) {
		fp_log_err("%s", err.msg);
		return -1;
	}
	if (o->has_since && o->has_until && o->until_ns <= o->since_ns) {
		fp_log_err("--until must be later than --since");
		return -1;
	}
	if (o->output != NULL && (check_format(o) < 0 || output_is_an_input(o)))
		return -1;
	return 0;
}

/* Opens each input once (not "-": it can be read only once) so a missing
 * or foreign file is reported now, not after the others were metered.
 * Returns how many inputs can be read; `reported` marks those already said. */
static size_t check_inputs(struct pcap_run *run, bool *reported)
{
	size_t readable = 0;
	int linktype = -1;

	for (size_t i = 0; i < run->ninputs; i++) {
		struct input_result *r = &run->results[i];
		struct fp_source *src;

		if (strcmp(run->inputs[i], "-") == 0) {
			readable++;
			continue;
		}
		if ((src = fp_source_open_file(run->inputs[i], &r->error)) == NULL) {
			r->failed = true;
			reported[i] = true;
			fp_log_err("%s", r->error.msg);
			continue;
		}
		if (run->merge && linktype != -1 && src->linktype != linktype) {
			fp_error_set(&r->error, "%s: link type %d differs from the other inputs' (%d): --merge needs "
				     "one link type", run->inputs[i], src->linktype, linktype);
			r->failed = true;
			reported[i] = true;
			fp_log_err("%s", r->error.msg);
		} else {
			linktype = src->linktype;
			readable++;
		}
		fp_source_close(src);
	}
	return readable;
}

static char *directory_of(const char *path)
{
	char *copy = strdup(path);
	char *dir = copy ? strdup(dirname(copy)) : NULL;

	free(copy);
	return dir;
}

static const char *shown_name(const struct pcap_options *o)
{
	if (o->output == NULL)
		return "Kafka";
	return strcmp(o->output, "-") == 0 ? "standard output" : o->output;
}

/* Publishes (or, after a signal or when nothing could be read, discards)
 * the output; returns the exit status. */
static int finish_output(struct pcap_run *run, const struct pcap_options *o, int run_rc, size_t readable,
			 bool *published)
{
	struct fp_error err = { "" };
	bool keep = run_rc == 0 && readable > 0 && (!run->interrupted || o->publish_on_interrupt);

	*published = false;
	if (run_rc < 0)
		fp_log_err("%s: %s", shown_name(o), run->sink_error.msg);
	if (!keep) {
		fp_sink_abort(run->sink);
	} else if (fp_sink_close(run->sink, &err) < 0) {
		fp_log_err("%s", err.msg);
		run_rc = -1;
	} else {
		*published = true;
	}
	if (run->interrupted)
		return interrupt_exit_status();
	if (run_rc < 0)
		return FP_EXIT_FAILURE;
	return readable == 0 ? FP_EXIT_INPUT_ERRORS : FP_EXIT_OK;
}

/* Where spill files of -j go: beside the output (same file system, so
 * replaying is cheap), else the temporary directory. */
static char *spill_directory(const struct pcap_options *o)
{
	const char *tmp = getenv("TMPDIR");

	if (o->output == NULL)
		return strdup(tmp && *tmp ? tmp : "/tmp");
	return strcmp(o->output, "-") == 0 ? strdup(".") : directory_of(o->output);
}

/* The run's sink: the output file, Kafka, or both teed (the same batches
 * go to each). */
static struct fp_sink *open_sinks(struct pcap_options *o, const struct fp_schema *schema, struct pcap_kafka **pk,
				  struct fp_error *err)
{
	struct fp_sink *sinks[2];
	size_t n = 0;

	if (o->output != NULL && (sinks[n++] = fp_file_sink_open(o->output, schema, &o->sink, err)) == NULL)
		return NULL;
	if (o->kafka.enabled && (*pk = pcap_kafka_start(&o->kafka, schema, &sinks[n++], err)) == NULL) {
		if (n > 1)
			fp_sink_abort(sinks[0]);
		return NULL;
	}
	return n == 1 ? sinks[0] : fp_tee_sink_new(sinks, n, err);
}

static void set_up_run(struct pcap_run *run, struct pcap_options *o, struct fp_meter_config *meter,
		       struct input_filter_config *filter, struct progress *progress)
{
	run->meter = meter;
	run->inputs = o->inputs;
	run->ninputs = o->ninputs;
	run->jobs = o->jobs;
	run->progress = progress;
	run->filter = filter;
	run->max_packets = o->max_packets;
	run->merge = o->merge;
	run->publish_on_interrupt = o->publish_on_interrupt;
	filter->bpf = o->filter;
	filter->has_since = o->has_since;
	filter->has_until = o->has_until;
	filter->since_ns = o->since_ns;
	filter->until_ns = o->until_ns;
}

static int run_pcap(struct pcap_options *o)
{
	struct fp_error err = { "" };
	struct fp_schema *canonical = fp_schema_netflow_v1(&err);
	struct fp_flow_features *features = canonical ? fp_flow_features_new(canonical, o->features, &err) : NULL;
	const struct fp_schema *schema = features ? fp_flow_features_schema(features) : NULL;
	struct fp_meter_config meter;
	struct input_filter_config filter;
	struct progress progress;
	struct pcap_run run = { 0 };
	struct fp_prefault *prefault = NULL;
	struct pcap_kafka *kafka = NULL;
	struct fp_kafka_stats kafka_stats = { 0 };
	bool *reported = calloc(o->ninputs, sizeof(*reported)), published = false;
	double start = monotonic_seconds();
	size_t readable;
	int rc;

	run.results = calloc(o->ninputs, sizeof(*run.results));
	if (schema == NULL || run.results == NULL || reported == NULL ||
	    (run.sink = open_sinks(o, schema, &kafka, &err)) == NULL) {
		fp_log_err("%s", schema && run.results && reported ? err.msg : "out of memory");
		rc = interrupt_pending() ? interrupt_exit_status() : FP_EXIT_FAILURE;
		goto out;
	}
	fp_meter_config_defaults(&meter);
	meter.flow = o->flow;
	meter.features = features;
	meter.batch_rows = o->batch_rows;
	meter.batches = fp_meter_batches_for(run.sink->rows_held, meter.batch_rows);
	run.output_queue = meter.batches - 1;
	meter.prefault = prefault = fp_prefault_start();	/* none to be had: the meter faults by itself */
	set_up_run(&run, o, &meter, &filter, &progress);
	progress_init(&progress, !o->quiet, 0);
	run.spill_dir = spill_directory(o);
	readable = check_inputs(&run, reported);
	rc = readable > 0 ? pcap_run(&run) : 0;
	progress_clear(&progress);
	rc = finish_output(&run, o, rc, readable, &published);
	if (kafka != NULL && pcap_kafka_finish(kafka, o->quiet, o->output != NULL, &kafka_stats) < 0 &&
	    rc == FP_EXIT_OK)
		rc = FP_EXIT_FAILURE;
	{
		struct pcap_outcome oc = { &run, shown_name(o), monotonic_seconds() - start, rc, published,
					   kafka ? &kafka_stats : NULL };
		if (report_inputs(&run, reported) > 0 && oc.exit_status == FP_EXIT_OK)
			oc.exit_status = rc = FP_EXIT_INPUT_ERRORS;
		if (!o->quiet && rc != FP_EXIT_FAILURE && readable > 0)
			print_summary(&oc, o->summary);
		if (rc != FP_EXIT_FAILURE)
			warn_about_flows(&run);
		if (o->json_summary && write_json_summary(&oc, o->json_summary) < 0 && rc == FP_EXIT_OK)
			rc = FP_EXIT_FAILURE;
	}
	free((char *)run.spill_dir);
out:
	fp_prefault_free(prefault);	/* every meter is gone by now */
	free(run.results);
	free(reported);
	fp_flow_features_free(features);
	fp_schema_free(canonical);
	return rc;
}

int cmd_pcap(int argc, char **argv)
{
	struct pcap_options o;
	int rc;

	fp_log_setup("flowprep pcap", FP_LOG_STYLE_CLI, FP_LOG_INFO);
	rc = pcap_options_parse(&o, argc, argv);
	if (rc == PCAP_PARSE_RUN && check_arguments(&o) < 0)
		rc = PCAP_PARSE_USAGE_ERROR;
	if (rc == PCAP_PARSE_RUN) {
		interrupt_install();
		rc = run_pcap(&o);
	} else {
		rc = rc == PCAP_PARSE_EXIT_OK ? FP_EXIT_OK : FP_EXIT_FAILURE;
	}
	pcap_options_free(&o);
	return rc;
}
