/*
 * cmd-pcap.c - `flowprep pcap INPUT... OUTPUT`: options, the run, and the
 * closing summary.
 */
#include "config.h"

#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/pcap-run.h"
#include "lib/log.h"
#include "lib/parse-value.h"
#include "pipeline/meter.h"
#include "sink/sink.h"

struct pcap_options {
	struct fp_flow_config flow;
	struct fp_format_options sink;
	int jobs;
	bool quiet;
	size_t batch_rows;
	const struct fp_feature_set *features;	/* NULL: canonical */
};

static void pcap_usage(FILE *out)
{
	fprintf(out,
		"Usage: flowprep pcap [OPTIONS] INPUT... OUTPUT\n"
		"\n"
		"Meter pcap/pcapng captures into bidirectional flow records, one row per flow,\n"
		"in the canonical netflow/v1 schema. OUTPUT is CSV, Parquet or JSON lines by its\n"
		"extension (.csv, .parquet, .jsonl). Each INPUT is metered on its own; records are written in\n"
		"input order, so the output is the same whatever -j.\n"
		"\n"
		"Options:\n"
		"  -j, --jobs N            meter up to N inputs in parallel (default 1)\n"
		"  -f, --format FMT        csv, parquet or jsonl (overrides the extension)\n"
		"      --idle-timeout T    end a flow after T without packets (default 60s)\n"
		"      --active-timeout T  end a flow that has lasted longer than T (default 3600s)\n"
		"                          T: seconds, or with a unit: 250us, 500ms, 1.5s, 5m, 1h\n"
		"      --tcp-close         end TCP flows at FIN from both sides or RST\n"
		"      --max-flows N       keep at most N flows in memory (e.g. 500k); the least\n"
		"                          recently seen is ended first when full (default: no limit)\n"
		"      --bytes MODE        ip (default): IP datagram length, as NetFlow/IPFIX octets;\n"
		"                          frame: frame length on the wire; payload: TCP/UDP payload\n"
		"      --vlan-key          make the VLAN ID part of the flow key\n"
		"      --features SET      columns: canonical (default), extended, cic, pcapflower,\n"
		"                          cic2017 (docs/features.md; cic, pcapflower and cic2017\n"
		"                          set the flow timeouts their definitions need)\n"
		"      --compression C     Parquet codec: zstd (default), snappy, gzip, none\n"
		"      --row-group-rows N  Parquet rows per row group (default %d)\n"
		"  -q, --quiet             no progress line and no summary\n"
		"  -h, --help              this help\n"
		"\n"
		"Exit status: 0 success; 1 usage error or the output could not be written;\n"
		"2 the output was written but an input was unreadable or corrupt (its flows\n"
		"up to the error are included).\n",
		FP_PARQUET_DEFAULT_ROW_GROUP_ROWS);
}

enum {
	OPT_IDLE = 256, OPT_ACTIVE, OPT_TCP_CLOSE, OPT_MAX_FLOWS, OPT_BYTES, OPT_VLAN_KEY,
	OPT_COMPRESSION, OPT_ROW_GROUP_ROWS, OPT_BATCH_ROWS, OPT_FEATURES,
};

static const struct option long_options[] = {
	{ "jobs", required_argument, NULL, 'j' },
	{ "format", required_argument, NULL, 'f' },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE },
	{ "active-timeout", required_argument, NULL, OPT_ACTIVE },
	{ "tcp-close", no_argument, NULL, OPT_TCP_CLOSE },
	{ "max-flows", required_argument, NULL, OPT_MAX_FLOWS },
	{ "bytes", required_argument, NULL, OPT_BYTES },
	{ "vlan-key", no_argument, NULL, OPT_VLAN_KEY },
	{ "compression", required_argument, NULL, OPT_COMPRESSION },
	{ "row-group-rows", required_argument, NULL, OPT_ROW_GROUP_ROWS },
	{ "batch-rows", required_argument, NULL, OPT_BATCH_ROWS },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Option values. Each value is read by lib/parse-value (as the daemon's
 * configuration will be), put in place, and then the stage that owns it
 * validates all its options: the others were valid already, so a fault is
 * this option's, and its message gets the option's name in front, e.g.
 * "pcap: --idle-timeout: '5x' is not a duration (use e.g. 500ms, 60s, 5m, 1h)".
 */
static int option_error(const char *option, struct fp_error *err)
{
	fp_error_prefix(err, "%s", option);
	fp_log_err("pcap: %s", err->msg);
	return -1;
}

static int check_flow(const char *option, const struct pcap_options *o, struct fp_error *err)
{
	return fp_flow_config_validate(&o->flow, err) < 0 ? option_error(option, err) : 0;
}

static int check_parquet(const char *option, const struct pcap_options *o, struct fp_error *err)
{
	return fp_parquet_write_options_validate(&o->sink.parquet, err) < 0 ? option_error(option, err) : 0;
}

/* The TCP close linger has no option: its default yields to a shorter
 * idle timeout, as a linger may not outlast the idle timeout. */
static void set_idle_timeout(struct fp_flow_config *c, int64_t idle_ns)
{
	struct fp_flow_config defaults;

	fp_flow_config_defaults(&defaults);
	c->idle_timeout_ns = idle_ns;
	c->tcp_close_linger_ns = defaults.tcp_close_linger_ns < idle_ns ? defaults.tcp_close_linger_ns : idle_ns;
}

static int parse_option(struct pcap_options *o, int c, const char *arg)
{
	struct fp_error err = { "" };
	uint64_t n;
	int64_t ns;
	int v;

	switch (c) {
	case 'j':
		if (fp_parse_count(arg, 1, 256, &n, &err) < 0)
			return option_error("--jobs", &err);
		o->jobs = (int)n;
		return 0;
	case 'f':
		if ((v = fp_format_parse(arg)) < 0) {
			fp_error_set(&err, "'%s' is not one of " FP_FORMAT_NAMES, arg);
			return option_error("--format", &err);
		}
		o->sink.format = (enum fp_format)v;
		return 0;
	case OPT_IDLE:
		if (fp_parse_duration_ns(arg, &ns, &err) < 0)
			return option_error("--idle-timeout", &err);
		set_idle_timeout(&o->flow, ns);
		return check_flow("--idle-timeout", o, &err);
	case OPT_ACTIVE:
		if (fp_parse_duration_ns(arg, &o->flow.active_timeout_ns, &err) < 0)
			return option_error("--active-timeout", &err);
		return check_flow("--active-timeout", o, &err);
	case OPT_TCP_CLOSE:
		o->flow.tcp_close = true;
		return 0;
	case OPT_MAX_FLOWS:
		if (fp_parse_count(arg, 1, 1000000000, &n, &err) < 0)
			return option_error("--max-flows", &err);
		o->flow.max_flows = n;
		return check_flow("--max-flows", o, &err);
	case OPT_BYTES:
		if (fp_parse_enum(arg, fp_byte_mode_names, &v, &err) < 0)
			return option_error("--bytes", &err);
		o->flow.byte_mode = (enum fp_byte_mode)v;
		return check_flow("--bytes", o, &err);
	case OPT_VLAN_KEY:
		o->flow.key_vlan = true;
		return 0;
	case OPT_COMPRESSION:
		if (fp_parse_enum(arg, fp_parquet_writer_codec_names, &v, &err) < 0)
			return option_error("--compression", &err);
		o->sink.parquet.codec = (enum fp_parquet_codec)v;
		return check_parquet("--compression", o, &err);
	case OPT_ROW_GROUP_ROWS:
		if (fp_parse_count(arg, 1, FP_PARQUET_MAX_ROW_GROUP_ROWS, &n, &err) < 0)
			return option_error("--row-group-rows", &err);
		o->sink.parquet.row_group_rows = n;
		return check_parquet("--row-group-rows", o, &err);
	case OPT_BATCH_ROWS:
		if (fp_parse_count(arg, 1, 10000000, &n, &err) < 0)
			return option_error("--batch-rows", &err);
		o->batch_rows = n;
		return 0;
	case OPT_FEATURES:
		if ((o->features = fp_feature_set_find(arg)) == NULL) {
			fp_error_set(&err, "'%s' is not a feature set (canonical, extended, cic, pcapflower, cic2017)",
				     arg);
			return option_error("--features", &err);
		}
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	}
	return -1;
}

/* "name count, name count" for the non-zero counts; returns its length. */
static size_t format_counts(char *buf, size_t size, const uint64_t *counts, int first, int count,
			    const char *(*name)(int))
{
	char n[32];
	size_t o = 0;

	buf[0] = '\0';
	for (int i = first; i < count && o < size; i++) {
		if (counts[i] == 0)
			continue;
		o += (size_t)snprintf(buf + o, size - o, "%s%s %s", o ? ", " : "", name(i),
				      format_thousands(counts[i], n, sizeof(n)));
	}
	return o;
}

static const char *skip_name(int r) { return fp_skip_reason_name((enum fp_skip_reason)r); }
static const char *note_name(int r) { return fp_note_name((enum fp_note)r); }

/* A note does not make a packet skipped: noted packets are among the
 * accepted ones (packets = accepted + skipped), and the notes are counted
 * apart, each packet once per note it carries. */
static void print_summary(const struct pcap_run *run, const char *output, double seconds)
{
	const struct fp_flow_stats *f = &run->flows;
	char n[8][32];
	char skipped[512], noted[256];
	size_t o = format_counts(skipped, sizeof(skipped), run->decode.skipped, 1, FP_SKIP__COUNT, skip_name);
	size_t on = format_counts(noted, sizeof(noted), run->decode.noted, 0, FP_NOTE__COUNT, note_name);
	fprintf(stderr, "flowprep: %zu input%s, %s packets, %s in %.2f s (%s packets/s); ",
		run->ninputs, run->ninputs == 1 ? "" : "s", format_thousands(run->decode.packets, n[0], sizeof(n[0])),
		format_bytes(run->flows.bytes, n[1], sizeof(n[1])), seconds,
		format_thousands(seconds > 0 ? (uint64_t)((double)run->decode.packets / seconds) : 0, n[2],
				 sizeof(n[2])));
	fprintf(stderr, "%s flows written to %s (ended: idle %s, active %s, tcp-close %s, evicted %s, end of input %s; "
		"at most %s at once); ",
		format_thousands(run->records, n[0], sizeof(n[0])), output,
		format_thousands(f->flows_ended[FP_END_IDLE], n[1], sizeof(n[1])),
		format_thousands(f->flows_ended[FP_END_ACTIVE], n[2], sizeof(n[2])),
		format_thousands(f->flows_ended[FP_END_TCP_CLOSE], n[3], sizeof(n[3])),
		format_thousands(f->flows_ended[FP_END_EVICTED], n[4], sizeof(n[4])),
		format_thousands(f->flows_ended[FP_END_FLUSH], n[5], sizeof(n[5])),
		format_thousands(f->max_active_flows, n[6], sizeof(n[6])));
	fprintf(stderr, "skipped %s packets%s%s%s",
		format_thousands(run->decode.packets - run->decode.decoded, n[0], sizeof(n[0])),
		o ? " (" : "", skipped, o ? ")" : "");
	if (on)
		fprintf(stderr, "; accepted with a note: %s", noted);
	fprintf(stderr, ".\n");
}

/* Warnings that hold even with -q. */
static void warn_about_flows(const struct pcap_run *run)
{
	char n[32];

	/* Time running backwards in a file is legal (merged captures) but a
	 * wild timestamp splits flows: say so, so the user can look. */
	if (run->flows.out_of_order)
		fp_log_warn("%s packets were older than packets before them (timestamps out of order); "
			"they were added to their flows, but check the capture if the number is large",
			format_thousands(run->flows.out_of_order, n, sizeof(n)));
	if (run->flows.no_memory)
		fp_log_warn("%s packets were not accounted: no memory for new flows "
			"(use --max-flows)", format_thousands(run->flows.no_memory, n, sizeof(n)));
}

/* Reports unreadable inputs; returns how many there were. */
static int report_inputs(const struct pcap_run *run)
{
	int bad = 0;

	for (size_t i = 0; i < run->ninputs; i++) {
		const struct input_result *r = &run->results[i];
		if (r->unsupported_link)
			fp_log_warn("%s: unsupported link type %d: its packets were counted as skipped",
				    run->inputs[i], r->linktype);
		if (r->failed) {
			fp_log_err("%s", r->error.msg);
			bad++;
		}
	}
	return bad;
}

/* Writing over an input would destroy it on the final rename. */
static int output_is_an_input(char **inputs, size_t ninputs, const char *output)
{
	struct stat out, in;

	if (stat(output, &out) != 0)
		return 0;
	for (size_t i = 0; i < ninputs; i++) {
		if (stat(inputs[i], &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
			fp_log_err("pcap: the output %s is also an input", output);
			return 1;
		}
	}
	return 0;
}

static char *directory_of(const char *path)
{
	char *copy = strdup(path);
	char *dir = copy ? strdup(dirname(copy)) : NULL;

	free(copy);
	return dir;
}

static int run_pcap(struct pcap_options *o, char **inputs, size_t ninputs, const char *output)
{
	struct fp_error err = { "" };
	struct fp_schema *canonical = fp_schema_netflow_v1(&err);
	struct fp_flow_features *features = canonical ? fp_flow_features_new(canonical, o->features, &err) : NULL;
	const struct fp_schema *schema = features ? fp_flow_features_schema(features) : NULL;
	struct fp_meter_config meter;
	struct progress progress;
	struct pcap_run run = { 0 };
	double start = monotonic_seconds();
	int rc = FP_EXIT_OK;

	if (schema == NULL || (run.sink = fp_file_sink_open(output, schema, &o->sink, &err)) == NULL) {
		fp_log_err("%s", err.msg);
		fp_flow_features_free(features);
		fp_schema_free(canonical);
		return FP_EXIT_FAILURE;
	}
	fp_meter_config_defaults(&meter);
	meter.flow = o->flow;
	meter.features = features;
	meter.batch_rows = o->batch_rows;
	progress_init(&progress, !o->quiet, 0);
	run.meter = &meter;
	run.inputs = inputs;
	run.ninputs = ninputs;
	run.jobs = o->jobs;
	run.spill_dir = directory_of(output);
	run.progress = &progress;
	if (pcap_run(&run) < 0) {
		progress_clear(&progress);
		fp_log_err("%s: %s", output, run.sink_error.msg);
		fp_sink_abort(run.sink);
		rc = FP_EXIT_FAILURE;
	} else {
		progress_clear(&progress);
		if (fp_sink_close(run.sink, &err) < 0) {
			fp_log_err("%s", err.msg);
			rc = FP_EXIT_FAILURE;
		}
	}
	if (run.results != NULL && report_inputs(&run) > 0 && rc == FP_EXIT_OK)
		rc = FP_EXIT_INPUT_ERRORS;
	if (!o->quiet && rc != FP_EXIT_FAILURE)
		print_summary(&run, output, monotonic_seconds() - start);
	if (rc != FP_EXIT_FAILURE)
		warn_about_flows(&run);
	free((char *)run.spill_dir);
	free(run.results);
	fp_flow_features_free(features);
	fp_schema_free(canonical);
	return rc;
}

int cmd_pcap(int argc, char **argv)
{
	struct pcap_options o = { .jobs = 1, .batch_rows = FP_METER_DEFAULT_BATCH_ROWS };
	int c;

	fp_flow_config_defaults(&o.flow);
	fp_format_options_defaults(&o.sink);
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:f:qh", long_options, NULL)) != -1) {
		if (c == 'h') {
			pcap_usage(stdout);
			return FP_EXIT_OK;
		}
		if (c == '?' || parse_option(&o, c, optarg) < 0) {
			fprintf(stderr, "Try 'flowprep pcap --help'.\n");
			return FP_EXIT_FAILURE;
		}
	}
	if (argc - optind < 2) {
		fp_log_err("pcap: need at least one INPUT and an OUTPUT (try flowprep pcap --help)");
		return FP_EXIT_FAILURE;
	}
	if (o.sink.format == FP_FORMAT_AUTO && fp_format_from_path(argv[argc - 1]) == FP_FORMAT_AUTO) {
		fp_log_err("pcap: cannot tell the format of '%s' from its name: use .csv, .parquet or .jsonl, or --format",
			   argv[argc - 1]);
		return FP_EXIT_FAILURE;
	}
	if (output_is_an_input(argv + optind, (size_t)(argc - optind - 1), argv[argc - 1]))
		return FP_EXIT_FAILURE;
	return run_pcap(&o, argv + optind, (size_t)(argc - optind - 1), argv[argc - 1]);
}
