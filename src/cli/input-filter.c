/*
 * input-filter.c - BPF and time-window filtering of a source (see
 * input-filter.h). The BPF program is compiled once per input, with a
 * "dead" pcap handle of the input's link type and a 256 KiB snap length,
 * and run by pcap_offline_filter() on each packet as captured.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdlib.h>

#include "cli/input-filter.h"

struct filter_source {
	struct fp_source base;	/* first: a struct fp_source * is a struct filter_source * */
	struct fp_source *inner;
	struct input_filter_config cfg;
	bool has_program;
	struct bpf_program program;
	uint64_t *filtered;
};

static bool wanted(struct filter_source *fs, const struct fp_raw_packet *pkt)
{
	struct pcap_pkthdr hdr = { .caplen = pkt->caplen, .len = pkt->wirelen };

	if (fs->cfg.has_since && pkt->ts_ns < fs->cfg.since_ns)
		return false;
	if (fs->cfg.has_until && pkt->ts_ns >= fs->cfg.until_ns)
		return false;
	return !fs->has_program || pcap_offline_filter(&fs->program, &hdr, pkt->data) != 0;
}

static int filter_next(struct fp_source *s, struct fp_raw_packet *pkt, struct fp_error *err)
{
	struct filter_source *fs = (struct filter_source *)s;
	int rc;

	while ((rc = fp_source_next(fs->inner, pkt, err)) == 1) {
		if (wanted(fs, pkt)) {
			s->packets++;
			return 1;
		}
		(*fs->filtered)++;
	}
	s->ended = fs->inner->ended;
	return rc;
}

static uint64_t filter_position(const struct fp_source *s)
{
	return fp_source_position(((const struct filter_source *)s)->inner);
}

static void filter_close(struct fp_source *s)
{
	struct filter_source *fs = (struct filter_source *)s;

	if (fs->has_program)
		pcap_freecode(&fs->program);
	fp_source_close(fs->inner);
	free(fs);
}

static const struct fp_source_ops filter_ops = { filter_next, filter_position, filter_close };

static int compile(const char *bpf, int linktype, struct bpf_program *prog, struct fp_error *err)
{
	pcap_t *dead = pcap_open_dead(linktype, 262144);
	int rc = 0;

	if (dead == NULL)
		return fp_error_set(err, "out of memory");
	if (pcap_compile(dead, prog, bpf, 1, PCAP_NETMASK_UNKNOWN) != 0)
		rc = fp_error_set(err, "filter '%s': %s", bpf, pcap_geterr(dead));
	pcap_close(dead);
	return rc;
}

int input_filter_check(const char *bpf, struct fp_error *err)
{
	struct bpf_program prog;

	if (compile(bpf, DLT_EN10MB, &prog, err) < 0)
		return -1;
	pcap_freecode(&prog);
	return 0;
}

struct fp_source *input_filter_wrap(struct fp_source *inner, const struct input_filter_config *c,
				    uint64_t *filtered, struct fp_error *err)
{
	struct filter_source *fs;

	if (!input_filter_active(c))
		return inner;
	if ((fs = calloc(1, sizeof(*fs))) == NULL) {
		fp_error_set(err, "%s: out of memory", inner->name);
		fp_source_close(inner);
		return NULL;
	}
	if (c->bpf != NULL) {
		if (compile(c->bpf, inner->linktype, &fs->program, err) < 0) {
			fp_error_prefix(err, "%s: link type %s", inner->name,
					pcap_datalink_val_to_name(inner->linktype) ? pcap_datalink_val_to_name(inner->linktype)
										    : "unknown");
			fp_source_close(inner);
			free(fs);
			return NULL;
		}
		fs->has_program = true;
	}
	fs->base = *inner;
	fs->base.ops = &filter_ops;
	fs->base.packets = 0;
	fs->inner = inner;
	fs->cfg = *c;
	fs->filtered = filtered;
	return &fs->base;
}
