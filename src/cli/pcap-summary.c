/*
 * pcap-summary.c - the closing summary of `flowprep pcap` (see
 * pcap-summary.h). Every count is said with the right singular or plural;
 * the one-line form keeps the words scripts already look for ("N inputs,
 * N packets", "flows written", "skipped", "accepted with a note").
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/pcap-summary.h"
#include "lib/log.h"
#include "sink/atomic-file.h"

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
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

static uint64_t filtered_total(const struct pcap_run *run)
{
	uint64_t n = 0;

	for (size_t i = 0; i < run->ninputs; i++)
		n += run->results[i].filtered;
	return n;
}

static void ended_text(const struct fp_flow_stats *f, char *buf, size_t size)
{
	char n[5][32];

	snprintf(buf, size, "idle %s, active %s, tcp-close %s, evicted %s, end of input %s",
		 format_thousands(f->flows_ended[FP_END_IDLE], n[0], sizeof(n[0])),
		 format_thousands(f->flows_ended[FP_END_ACTIVE], n[1], sizeof(n[1])),
		 format_thousands(f->flows_ended[FP_END_TCP_CLOSE], n[2], sizeof(n[2])),
		 format_thousands(f->flows_ended[FP_END_EVICTED], n[3], sizeof(n[3])),
		 format_thousands(f->flows_ended[FP_END_FLUSH], n[4], sizeof(n[4])));
}

/* A note does not make a packet skipped: noted packets are among the
 * accepted ones (packets = accepted + skipped), and the notes are counted
 * apart, each packet once per note it carries. */
static void print_line(const struct pcap_outcome *oc)
{
	const struct pcap_run *run = oc->run;
	uint64_t skipped_n = run->decode.packets - run->decode.decoded, filtered = filtered_total(run);
	char n[8][32], ended[256], skipped[512], noted[256];
	size_t o = format_counts(skipped, sizeof(skipped), run->decode.skipped, 1, FP_SKIP__COUNT, skip_name);
	size_t on = format_counts(noted, sizeof(noted), run->decode.noted, 0, FP_NOTE__COUNT, note_name);

	ended_text(&run->flows, ended, sizeof(ended));
	fprintf(stderr, "flowprep pcap: %zu %s, %s %s, %s in %.2f s (%s packets/s); ", run->ninputs,
		plural(run->ninputs, "input", "inputs"), format_thousands(run->decode.packets, n[0], sizeof(n[0])),
		plural(run->decode.packets, "packet", "packets"), format_bytes(run->flows.bytes, n[1], sizeof(n[1])),
		oc->seconds,
		format_thousands(oc->seconds > 0 ? (uint64_t)((double)run->decode.packets / oc->seconds) : 0, n[2],
				 sizeof(n[2])));
	fprintf(stderr, "%s %s %s to %s (ended: %s; at most %s at once); ",
		format_thousands(run->records, n[0], sizeof(n[0])), plural(run->records, "flow", "flows"),
		oc->published ? "written" : "metered, not written", oc->output, ended,
		format_thousands(run->flows.max_active_flows, n[6], sizeof(n[6])));
	fprintf(stderr, "skipped %s %s%s%s%s", format_thousands(skipped_n, n[0], sizeof(n[0])),
		plural(skipped_n, "packet", "packets"), o ? " (" : "", skipped, o ? ")" : "");
	if (on)
		fprintf(stderr, "; accepted with a note: %s", noted);
	if (filtered)
		fprintf(stderr, "; filtered out %s %s", format_thousands(filtered, n[0], sizeof(n[0])),
			plural(filtered, "packet", "packets"));
	fprintf(stderr, ".\n");
}

static void print_lines(const struct pcap_outcome *oc)
{
	const struct pcap_run *run = oc->run;
	uint64_t skipped_n = run->decode.packets - run->decode.decoded, filtered = filtered_total(run);
	char n[4][32], text[512];

	fprintf(stderr, "flowprep pcap: done in %.2f s\n", oc->seconds);
	fprintf(stderr, "  read      %zu %s, %s %s (%s packets/s)\n", run->ninputs,
		plural(run->ninputs, "input", "inputs"), format_thousands(run->decode.packets, n[0], sizeof(n[0])),
		plural(run->decode.packets, "packet", "packets"),
		format_thousands(oc->seconds > 0 ? (uint64_t)((double)run->decode.packets / oc->seconds) : 0, n[1],
				 sizeof(n[1])));
	fprintf(stderr, "  flows     %s %s %s %s, %s; at most %s at once\n",
		format_thousands(run->records, n[0], sizeof(n[0])), plural(run->records, "flow", "flows"),
		oc->published ? "written to" : "metered, not written to", oc->output,
		format_bytes(run->flows.bytes, n[1], sizeof(n[1])),
		format_thousands(run->flows.max_active_flows, n[2], sizeof(n[2])));
	ended_text(&run->flows, text, sizeof(text));
	fprintf(stderr, "  ended     %s\n", text);
	if (format_counts(text, sizeof(text), run->decode.skipped, 1, FP_SKIP__COUNT, skip_name))
		fprintf(stderr, "  skipped   %s %s: %s\n", format_thousands(skipped_n, n[0], sizeof(n[0])),
			plural(skipped_n, "packet", "packets"), text);
	if (format_counts(text, sizeof(text), run->decode.noted, 0, FP_NOTE__COUNT, note_name))
		fprintf(stderr, "  noted     %s (accepted with a note)\n", text);
	if (filtered)
		fprintf(stderr, "  filtered  %s %s\n", format_thousands(filtered, n[0], sizeof(n[0])),
			plural(filtered, "packet", "packets"));
}

void print_summary(const struct pcap_outcome *o, enum summary_style style)
{
	if (style == SUMMARY_AUTO)
		style = isatty(STDERR_FILENO) ? SUMMARY_LINES : SUMMARY_LINE;
	if (style == SUMMARY_LINES)
		print_lines(o);
	else
		print_line(o);
}

/* ------------------------------------------------------------ JSON */

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_counts(FILE *f, const uint64_t *counts, int first, int count, const char *(*name)(int))
{
	bool any = false;

	fputc('{', f);
	for (int i = first; i < count; i++) {
		if (counts[i] == 0)
			continue;
		fprintf(f, "%s\"%s\": %" PRIu64, any ? ", " : "", name(i), counts[i]);
		any = true;
	}
	fputc('}', f);
}

static void json_inputs(FILE *f, const struct pcap_run *run)
{
	fputs("  \"inputs\": [", f);
	for (size_t i = 0; i < run->ninputs; i++) {
		const struct input_result *r = &run->results[i];
		fprintf(f, "%s\n    {\"path\": ", i ? "," : "");
		json_string(f, run->inputs[i]);
		fprintf(f, ", \"filtered\": %" PRIu64 ", \"error\": ", r->filtered);
		if (r->failed)
			json_string(f, r->error.msg);
		else
			fputs("null", f);
		fputc('}', f);
	}
	fputs(run->ninputs ? "\n  ],\n" : "],\n", f);
}

static void json_body(FILE *f, const struct pcap_outcome *oc)
{
	const struct pcap_run *run = oc->run;
	const struct fp_flow_stats *fl = &run->flows;

	fprintf(f, "{\n  \"exit_status\": %d,\n  \"interrupted\": %s,\n  \"seconds\": %.3f,\n", oc->exit_status,
		run->interrupted ? "true" : "false", oc->seconds);
	fputs("  \"output\": ", f);
	json_string(f, oc->output);
	fprintf(f, ",\n  \"published\": %s,\n", oc->published ? "true" : "false");
	json_inputs(f, run);
	fprintf(f, "  \"packets\": %" PRIu64 ",\n  \"packets_accepted\": %" PRIu64 ",\n  \"bytes\": %" PRIu64 ",\n",
		run->decode.packets, run->decode.decoded, fl->bytes);
	fprintf(f, "  \"flows_written\": %" PRIu64 ",\n  \"max_active_flows\": %" PRIu64 ",\n", run->records,
		fl->max_active_flows);
	fprintf(f, "  \"flows_ended\": {\"idle\": %" PRIu64 ", \"active\": %" PRIu64 ", \"tcp-close\": %" PRIu64
		", \"evicted\": %" PRIu64 ", \"end-of-input\": %" PRIu64 "},\n", fl->flows_ended[FP_END_IDLE],
		fl->flows_ended[FP_END_ACTIVE], fl->flows_ended[FP_END_TCP_CLOSE], fl->flows_ended[FP_END_EVICTED],
		fl->flows_ended[FP_END_FLUSH]);
	fputs("  \"skipped\": ", f);
	json_counts(f, run->decode.skipped, 1, FP_SKIP__COUNT, skip_name);
	fputs(",\n  \"noted\": ", f);
	json_counts(f, run->decode.noted, 0, FP_NOTE__COUNT, note_name);
	fprintf(f, ",\n  \"filtered\": %" PRIu64 ",\n  \"out_of_order\": %" PRIu64, filtered_total(run),
		fl->out_of_order);
	if (oc->kafka != NULL)
		fprintf(f, ",\n  \"kafka\": {\"produced\": %" PRIu64 ", \"delivered\": %" PRIu64 ", \"failed\": %" PRIu64
			", \"dropped\": %" PRIu64 ", \"queued\": %" PRIu64 "}", oc->kafka->produced, oc->kafka->delivered,
			oc->kafka->failed, oc->kafka->dropped, oc->kafka->queued);
	fputs("\n}\n", f);
}

int write_json_summary(const struct pcap_outcome *o, const char *path)
{
	struct fp_atomic_file af;
	struct fp_error err = { "" };

	if (fp_atomic_file_open(&af, path, NULL, &err) < 0) {
		fp_log_err("--json-summary: %s", err.msg);
		return -1;
	}
	json_body(af.fp, o);
	if (fp_atomic_file_commit(&af, &err) < 0) {
		fp_log_err("--json-summary: %s", err.msg);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ warnings */

void warn_about_flows(const struct pcap_run *run)
{
	char n[32];

	/* Time running backwards in a file is legal (merged captures) but a
	 * wild timestamp splits flows: say so, so the user can look. */
	if (run->flows.out_of_order)
		fp_log_warn("%s %s older than packets before them (timestamps out of order); "
			"they were added to their flows, but check the capture if the number is large",
			format_thousands(run->flows.out_of_order, n, sizeof(n)),
			plural(run->flows.out_of_order, "packet was", "packets were"));
	if (run->flows.no_memory)
		fp_log_warn("%s %s not accounted: no memory for new flows (use --max-flows)",
			    format_thousands(run->flows.no_memory, n, sizeof(n)),
			    plural(run->flows.no_memory, "packet was", "packets were"));
}

int report_inputs(const struct pcap_run *run, bool *reported)
{
	int bad = 0;

	for (size_t i = 0; i < run->ninputs; i++) {
		const struct input_result *r = &run->results[i];
		if (r->unsupported_link)
			fp_log_warn("%s: unsupported link type %d: its packets were counted as skipped",
				    run->inputs[i], r->linktype);
		if (r->failed) {
			if (!reported || !reported[i])
				fp_log_err("%s", r->error.msg);
			bad++;
		}
	}
	return bad;
}
