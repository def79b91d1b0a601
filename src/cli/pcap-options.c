/*
 * pcap-options.c - `flowprep pcap`'s options: help text, getopt table,
 * values, and where the arguments end and a filter expression begins.
 *
 * Each value is read by lib/parse-value (as the daemon's configuration
 * will be), put in place, and then the stage that owns it validates all
 * its options: the others were valid already, so a fault is this
 * option's, and its message gets the option's name in front, e.g.
 * "flowprep pcap: error: --idle-timeout: '5x' is not a duration (...)".
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/pcap-options.h"
#include "cli/time-arg.h"
#include "lib/log.h"
#include "lib/parse-value.h"

static void pcap_usage(FILE *out)
{
	fprintf(out,
		"Usage: flowprep pcap [OPTIONS] INPUT... OUTPUT [FILTER EXPRESSION]\n"
		"       flowprep pcap [OPTIONS] --kafka BROKERS --topic T INPUT... [OUTPUT] [FILTER]\n"
		"\n"
		"Meter pcap/pcapng captures into bidirectional flow records, one row per flow,\n"
		"in the canonical netflow/v1 schema. OUTPUT is CSV, Parquet or JSON lines by its\n"
		"extension (.csv, .parquet, .jsonl). Each INPUT is metered on its own; records are written in\n"
		"input order, so the output is the same whatever -j.\n"
		"\n"
		"An INPUT may be - (standard input) and may be compressed with gzip, zstd or xz\n"
		"(recognised by content). OUTPUT may be - (standard output; needs -f), a device\n"
		"or a FIFO, which are written to as a stream; a file appears only when complete.\n"
		"\n"
		"Options:\n"
		"  -j, --jobs N            meter up to N inputs in parallel (default 1)\n"
		"  -f, --format FMT        csv, parquet or jsonl (overrides the extension)\n"
		"  -m, --merge             meter all inputs as one stream in timestamp order (rotated\n"
		"                          captures of one link: flows span the files)\n"
		"  -F, --filter EXPR       only packets matching the BPF expression (as tcpdump's);\n"
		"                          an expression may also follow OUTPUT\n"
		"  -c, --count N           read at most N packets (after the filter)\n"
		"      --since TIME        only packets at or after TIME (2024-03-01T12:00:00Z,\n"
		"                          2024-03-01 12:00+02:00, or seconds since 1970)\n"
		"      --until TIME        only packets before TIME\n"
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
		"                          (Parquet only: an error with CSV or JSON lines)\n"
		"      --row-group-rows N  Parquet rows per row group (default %d, fewer for wide\n"
		"                          rows: about 16 MiB of values)\n"
		"      --summary STYLE     lines (default on a terminal) or line (default otherwise)\n"
		"      --json-summary FILE write the summary as JSON to FILE (- for stdout)\n"
		"      --publish-on-interrupt  on SIGINT/SIGTERM, end the flows and publish the output\n"
		"                          so far (still exit 130/143); default: publish nothing\n"
		PCAP_KAFKA_HELP
		"  -q, --quiet             no progress line and no summary\n"
		"  -V, --version           print the version\n"
		"  -h, --help              this help\n"
		"\n"
		"With --kafka, an OUTPUT is recognised by its extension (.csv, .parquet, .jsonl...);\n"
		"any other last argument is an input.\n"
		"\n"
		"Exit status: 0 success; 1 usage error, the output could not be written or a\n"
		"record was not delivered to Kafka;\n"
		"2 an input was unreadable or corrupt (the output holds the flows of the\n"
		"readable inputs, up to the error; none is published if no input could be read);\n"
		"130/143 interrupted by SIGINT/SIGTERM.\n"
		"\n"
		"Examples:\n"
		"  flowprep pcap capture.pcap flows.parquet\n"
		"  flowprep pcap -j 2 day/*.pcap.gz flows.csv\n"
		"  flowprep pcap --merge ring-*.pcap flows.parquet 'tcp port 443'\n"
		"  tcpdump -i eth0 -w - | flowprep pcap -f csv - - > flows.csv\n"
		"  flowprep pcap --kafka k1:9092 --topic flows --kafka-property compression.type=lz4 \\\n"
		"      archive/*.pcap.gz\n"
		"  flowprep pcap --since 2024-03-01T12:00Z --until 2024-03-01T13:00Z big.pcapng hour.csv\n",
		FP_PARQUET_DEFAULT_ROW_GROUP_ROWS);
}

enum {
	OPT_IDLE = 256, OPT_ACTIVE, OPT_TCP_CLOSE, OPT_MAX_FLOWS, OPT_BYTES, OPT_VLAN_KEY,
	OPT_COMPRESSION, OPT_ROW_GROUP_ROWS, OPT_BATCH_ROWS, OPT_FEATURES, OPT_SINCE, OPT_UNTIL, OPT_SUMMARY,
	OPT_JSON_SUMMARY, OPT_PUBLISH_ON_INTERRUPT,
};

static const struct option long_options[] = {
	{ "jobs", required_argument, NULL, 'j' },
	{ "format", required_argument, NULL, 'f' },
	{ "merge", no_argument, NULL, 'm' },
	{ "filter", required_argument, NULL, 'F' },
	{ "count", required_argument, NULL, 'c' },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
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
	{ "summary", required_argument, NULL, OPT_SUMMARY },
	{ "json-summary", required_argument, NULL, OPT_JSON_SUMMARY },
	{ "publish-on-interrupt", no_argument, NULL, OPT_PUBLISH_ON_INTERRUPT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	PCAP_KAFKA_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static const struct fp_enum_name summary_names[] = {
	{ "lines", SUMMARY_LINES }, { "line", SUMMARY_LINE }, { NULL, 0 },
};

static int option_error(const char *option, struct fp_error *err)
{
	fp_error_prefix(err, "%s", option);
	fp_log_err("%s", err->msg);
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

static int set_filter(struct pcap_options *o, const char *text)
{
	free(o->filter);
	if ((o->filter = strdup(text)) == NULL) {
		fp_log_err("out of memory");
		return -1;
	}
	return 0;
}

/* Options of the flow engine and the Parquet writer. */
static int parse_stage_option(struct pcap_options *o, int c, const char *arg, struct fp_error *err)
{
	uint64_t n;
	int64_t ns;
	int v;

	switch (c) {
	case OPT_IDLE:
		if (fp_parse_duration_ns(arg, &ns, err) < 0)
			return option_error("--idle-timeout", err);
		set_idle_timeout(&o->flow, ns);
		return check_flow("--idle-timeout", o, err);
	case OPT_ACTIVE:
		if (fp_parse_duration_ns(arg, &o->flow.active_timeout_ns, err) < 0)
			return option_error("--active-timeout", err);
		return check_flow("--active-timeout", o, err);
	case OPT_TCP_CLOSE:
		o->flow.tcp_close = true;
		return 0;
	case OPT_MAX_FLOWS:
		if (fp_parse_count(arg, 1, 1000000000, &n, err) < 0)
			return option_error("--max-flows", err);
		o->flow.max_flows = n;
		return check_flow("--max-flows", o, err);
	case OPT_BYTES:
		if (fp_parse_enum(arg, fp_byte_mode_names, &v, err) < 0)
			return option_error("--bytes", err);
		o->flow.byte_mode = (enum fp_byte_mode)v;
		return check_flow("--bytes", o, err);
	case OPT_VLAN_KEY:
		o->flow.key_vlan = true;
		return 0;
	case OPT_COMPRESSION:
		if (fp_parse_enum(arg, fp_parquet_writer_codec_names, &v, err) < 0)
			return option_error("--compression", err);
		o->sink.parquet.codec = (enum fp_parquet_codec)v;
		o->compression_set = true;
		return check_parquet("--compression", o, err);
	case OPT_ROW_GROUP_ROWS:
		if (fp_parse_count(arg, 1, FP_PARQUET_MAX_ROW_GROUP_ROWS, &n, err) < 0)
			return option_error("--row-group-rows", err);
		o->sink.parquet.row_group_rows = n;
		return check_parquet("--row-group-rows", o, err);
	}
	return 1;	/* not one of these */
}

/* Options of the run itself: inputs, output, reporting. */
static int parse_run_option(struct pcap_options *o, int c, const char *arg, struct fp_error *err)
{
	uint64_t n;
	int v;

	switch (c) {
	case 'j':
		if (fp_parse_count(arg, 1, 256, &n, err) < 0)
			return option_error("--jobs", err);
		o->jobs = (int)n;
		return 0;
	case 'f':
		if ((v = fp_format_parse(arg)) < 0) {
			fp_error_set(err, "'%s' is not one of " FP_FORMAT_NAMES, arg);
			return option_error("--format", err);
		}
		o->sink.format = (enum fp_format)v;
		return 0;
	case 'm':
		o->merge = true;
		return 0;
	case 'F':
		return set_filter(o, arg);
	case 'c':
		if (fp_parse_count(arg, 1, UINT64_MAX, &o->max_packets, err) < 0)
			return option_error("--count", err);
		return 0;
	case OPT_SINCE:
		o->has_since = true;
		return parse_time_arg(arg, &o->since_ns, err) < 0 ? option_error("--since", err) : 0;
	case OPT_UNTIL:
		o->has_until = true;
		return parse_time_arg(arg, &o->until_ns, err) < 0 ? option_error("--until", err) : 0;
	case OPT_BATCH_ROWS:
		if (fp_parse_count(arg, 1, 10000000, &n, err) < 0)
			return option_error("--batch-rows", err);
		o->batch_rows = n;
		return 0;
	case OPT_FEATURES:
		if ((o->features = fp_feature_set_find(arg)) == NULL) {
			char names[256];

			fp_error_set(err, "'%s' is not a feature set (%s)", arg, fp_feature_set_names(names, sizeof(names)));
			return option_error("--features", err);
		}
		return 0;
	case OPT_SUMMARY:
		if (fp_parse_enum(arg, summary_names, &v, err) < 0)
			return option_error("--summary", err);
		o->summary = (enum summary_style)v;
		return 0;
	case OPT_JSON_SUMMARY:
		o->json_summary = arg;
		return 0;
	case OPT_PUBLISH_ON_INTERRUPT:
		o->publish_on_interrupt = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	}
	return -1;
}

static bool is_filter_word(const char *w)
{
	static const char *const words[] = {
		"tcp", "udp", "icmp", "icmp6", "sctp", "ip", "ip6", "arp", "rarp", "host", "net", "port",
		"portrange", "src", "dst", "ether", "vlan", "mpls", "proto", "not", "less", "greater",
		"(", "!", "broadcast", "multicast", "gateway", NULL,
	};
	struct stat st;

	if (stat(w, &st) == 0)
		return false;	/* an existing file is an input, whatever its name */
	for (int i = 0; words[i]; i++)
		if (strcmp(w, words[i]) == 0)
			return true;
	return false;
}

/* tcpdump takes a filter after its arguments: "in.pcap out.csv tcp port
 * 443". The expression starts at the first word (after an input and an
 * output) that is a BPF keyword and not an existing file. */
static int split_filter_words(struct pcap_options *o, char **args, size_t n, size_t first, size_t *nargs)
{
	size_t len = 0, at;

	for (at = first; at < n && !is_filter_word(args[at]); at++)
		;
	*nargs = at;
	if (at == n)
		return 0;
	if (o->filter != NULL) {
		fp_log_err("a filter was given twice (with -F and after OUTPUT '%s')", args[at - 1]);
		return -1;
	}
	for (size_t i = at; i < n; i++)
		len += strlen(args[i]) + 1;
	if ((o->filter = malloc(len + 1)) == NULL) {
		fp_log_err("out of memory");
		return -1;
	}
	len = 0;
	for (size_t i = at; i < n; i++) {
		size_t w = strlen(args[i]);
		memcpy(o->filter + len, args[i], w);
		len += w;
		o->filter[len++] = i + 1 < n ? ' ' : '\0';
	}
	return 0;
}

/* With --kafka the OUTPUT is optional: the last argument is one when it
 * is named like a table (or is - with -f). */
static bool names_an_output(const struct pcap_options *o, const char *arg)
{
	if (strcmp(arg, "-") == 0)
		return o->sink.format != FP_FORMAT_AUTO;
	return fp_format_from_path(arg) != FP_FORMAT_AUTO;
}

/* The positional arguments: INPUT... OUTPUT [EXPRESSION...]. */
static int take_arguments(struct pcap_options *o, char **args, size_t n)
{
	size_t nargs, min = o->kafka.enabled ? 1 : 2;
	bool has_output;

	if (n < min) {
		fp_log_err("need at least one INPUT and an OUTPUT%s (try flowprep pcap --help)",
			   o->kafka.enabled ? " or --kafka" : "");
		return -1;
	}
	if (split_filter_words(o, args, n, min, &nargs) < 0)
		return -1;
	has_output = !o->kafka.enabled || (nargs >= 2 && names_an_output(o, args[nargs - 1]));
	o->ninputs = has_output ? nargs - 1 : nargs;
	o->output = has_output ? args[nargs - 1] : NULL;
	if ((o->inputs = calloc(o->ninputs, sizeof(*o->inputs))) == NULL) {
		fp_log_err("out of memory");
		return -1;
	}
	memcpy(o->inputs, args, o->ninputs * sizeof(*o->inputs));
	return 0;
}

static int unknown_option(int argc, char **argv)
{
	const char *arg = optind - 1 < argc ? argv[optind - 1] : "?";

	if (optopt && strncmp(arg, "--", 2) != 0)
		fp_log_err("option -%c %s", optopt, strchr("jfFc", optopt) ? "needs a value" : "is unknown");
	else
		fp_log_err("unknown option '%s' (or it needs a value)", arg);
	fprintf(stderr, "Try 'flowprep pcap --help'.\n");
	return PCAP_PARSE_USAGE_ERROR;
}

int pcap_options_parse(struct pcap_options *o, int argc, char **argv)
{
	struct fp_error err = { "" };
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->jobs = 1;
	o->batch_rows = FP_METER_DEFAULT_BATCH_ROWS;
	fp_flow_config_defaults(&o->flow);
	fp_format_options_defaults(&o->sink);
	pcap_kafka_options_init(&o->kafka);
	optind = 1;
	opterr = 0;	/* our own message, with the command's prefix */
	while ((c = getopt_long(argc, argv, "j:f:mF:c:qVh", long_options, NULL)) != -1) {
		if (c == 'h') {
			pcap_usage(stdout);
			return PCAP_PARSE_EXIT_OK;
		}
		if (c == 'V') {
			printf("flowprep pcap %s\n", PACKAGE_VERSION);
			return PCAP_PARSE_EXIT_OK;
		}
		if (c == '?' || c == ':')
			return unknown_option(argc, argv);
		if ((rc = parse_stage_option(o, c, optarg, &err)) == 1 &&
		    (rc = pcap_kafka_option(&o->kafka, c, optarg)) == 1)
			rc = parse_run_option(o, c, optarg, &err);
		if (rc < 0) {
			fprintf(stderr, "Try 'flowprep pcap --help'.\n");
			return PCAP_PARSE_USAGE_ERROR;
		}
	}
	if (pcap_kafka_check(&o->kafka) < 0 || take_arguments(o, argv + optind, (size_t)(argc - optind)) < 0)
		return PCAP_PARSE_USAGE_ERROR;
	return PCAP_PARSE_RUN;
}

void pcap_options_free(struct pcap_options *o)
{
	free(o->filter);
	free(o->inputs);
	pcap_kafka_options_free(&o->kafka);
	o->filter = NULL;
	o->inputs = NULL;
}
