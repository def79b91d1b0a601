/*
 * pcap-live.c - packets from a live interface (see pcap-live.h).
 *
 * Timestamps are asked for in nanoseconds where the kernel offers them and
 * fall back to microseconds; either way they reach the meter as ns since
 * the epoch, the same clock the daemon's timers use. The read timeout only
 * matters when `immediate` is off: it bounds how long the kernel may hold
 * a partly filled block (TPACKET_V3) before waking us.
 */
#include "config.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "source/pcap-live.h"

#define DEFAULT_SNAPLEN 262144
#define BLOCK_TIMEOUT_MS 100

struct live_source {
	struct fp_source base;	/* first: a struct fp_source * is a struct live_source * */
	pcap_t *pcap;
	char *interface;
	int64_t ns_per_unit;	/* 1 (nano precision) or 1000 (micro) */
	struct pcap_stat last;	/* the kernel's 32-bit counters at the last read */
	struct fp_live_stats total;
};

static int live_next(struct fp_source *s, struct fp_raw_packet *pkt, struct fp_error *err)
{
	struct live_source *ls = (struct live_source *)s;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc;

	if (s->ended)
		return 0;
	rc = pcap_next_ex(ls->pcap, &hdr, &data);
	if (rc == 1) {
		s->packets++;
		pkt->ts_ns = (int64_t)hdr->ts.tv_sec * 1000000000LL + (int64_t)hdr->ts.tv_usec * ls->ns_per_unit;
		pkt->caplen = hdr->caplen;
		pkt->wirelen = hdr->len > hdr->caplen ? hdr->len : hdr->caplen;
		pkt->data = data;
		pkt->linktype = s->linktype;
		return 1;
	}
	if (rc == 0)
		return 0;	/* nothing buffered now */
	s->ended = true;
	return fp_error_set(err, "%s: capture stopped: %s", ls->interface,
			    rc == PCAP_ERROR_BREAK ? "interrupted" : pcap_geterr(ls->pcap));
}

static uint64_t live_position(const struct fp_source *s)
{
	(void)s;
	return 0;
}

static void live_close(struct fp_source *s)
{
	struct live_source *ls = (struct live_source *)s;

	if (ls->pcap != NULL)
		pcap_close(ls->pcap);
	free(ls->interface);
	free(ls);
}

static const struct fp_source_ops live_source_ops = { live_next, live_position, live_close };

/* The settings pcap_activate() reads; returns libpcap's status. */
static int configure(pcap_t *p, const struct fp_live_options *o)
{
	int rc = 0;

	rc |= pcap_set_snaplen(p, o->snaplen > 0 ? o->snaplen : DEFAULT_SNAPLEN);
	rc |= pcap_set_promisc(p, o->promiscuous ? 1 : 0);
	rc |= pcap_set_timeout(p, BLOCK_TIMEOUT_MS);
	if (o->immediate)
		rc |= pcap_set_immediate_mode(p, 1);
	if (o->buffer_size > 0)
		rc |= pcap_set_buffer_size(p, o->buffer_size > INT32_MAX ? INT32_MAX : (int)o->buffer_size);
	return rc;
}

/* After activation: precision, filter, non-blocking. */
static int finish_setup(struct live_source *ls, const struct fp_live_options *o, struct fp_error *err)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;

	ls->ns_per_unit = pcap_get_tstamp_precision(ls->pcap) == PCAP_TSTAMP_PRECISION_NANO ? 1 : 1000;
	if (o->filter != NULL && *o->filter != '\0') {
		if (pcap_compile(ls->pcap, &prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) < 0)
			return fp_error_set(err, "%s: filter \"%s\": %s", o->interface, o->filter, pcap_geterr(ls->pcap));
		if (pcap_setfilter(ls->pcap, &prog) < 0) {
			pcap_freecode(&prog);
			return fp_error_set(err, "%s: cannot set the filter: %s", o->interface, pcap_geterr(ls->pcap));
		}
		pcap_freecode(&prog);
	}
	if (pcap_setnonblock(ls->pcap, 1, errbuf) < 0)
		return fp_error_set(err, "%s: cannot make the capture non-blocking: %s", o->interface, errbuf);
	ls->base.fd = pcap_get_selectable_fd(ls->pcap);
	if (ls->base.fd < 0)
		return fp_error_set(err, "%s: the capture has no selectable descriptor", o->interface);
	return 0;
}

/* libpcap's activation status as a sentence that says what to do. */
static int activation_error(const struct live_source *ls, int rc, struct fp_error *err)
{
	const char *detail = pcap_geterr(ls->pcap);

	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return fp_error_set(err, "%s: no such interface (%s)", ls->interface, detail);
	case PCAP_ERROR_PERM_DENIED:
		return fp_error_set(err, "%s: permission denied: capturing needs CAP_NET_RAW (%s)", ls->interface,
				    detail);
	case PCAP_ERROR_IFACE_NOT_UP:
		return fp_error_set(err, "%s: interface is down", ls->interface);
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		return fp_error_set(err, "%s: promiscuous mode not permitted (%s)", ls->interface, detail);
	default:
		return fp_error_set(err, "%s: cannot capture: %s", ls->interface,
				    detail[0] ? detail : pcap_statustostr(rc));
	}
}

struct fp_source *fp_source_open_live(const struct fp_live_options *o, struct fp_error *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct live_source *ls = calloc(1, sizeof(*ls));
	int rc;

	if (ls == NULL || (ls->interface = strdup(o->interface)) == NULL) {
		free(ls);
		fp_error_set(err, "%s: out of memory", o->interface);
		return NULL;
	}
	ls->base.ops = &live_source_ops;
	ls->base.name = ls->interface;
	ls->base.fd = -1;
	ls->pcap = pcap_create(o->interface, errbuf);
	if (ls->pcap == NULL) {
		fp_error_set(err, "%s: cannot capture: %s", o->interface, errbuf);
		live_close(&ls->base);
		return NULL;
	}
	if (configure(ls->pcap, o) != 0) {
		fp_error_set(err, "%s: cannot set capture options", o->interface);
		live_close(&ls->base);
		return NULL;
	}
	(void)pcap_set_tstamp_precision(ls->pcap, PCAP_TSTAMP_PRECISION_NANO);	/* micro if refused */
	rc = pcap_activate(ls->pcap);
	if (rc < 0 || finish_setup(ls, o, err) < 0) {
		if (rc < 0)
			activation_error(ls, rc, err);
		live_close(&ls->base);
		return NULL;
	}
	ls->base.linktype = pcap_datalink(ls->pcap);
	return &ls->base;
}

/* Adds the growth of a 32-bit kernel counter since `*last` to `*total`. */
static void widen(uint64_t *total, u_int *last, u_int now)
{
	*total += (uint32_t)(now - *last);
	*last = now;
}

int fp_source_live_stats(struct fp_source *s, struct fp_live_stats *out, struct fp_error *err)
{
	struct live_source *ls = (struct live_source *)s;
	struct pcap_stat st;

	if (pcap_stats(ls->pcap, &st) < 0)
		return fp_error_set(err, "%s: cannot read capture statistics: %s", ls->interface, pcap_geterr(ls->pcap));
	widen(&ls->total.received, &ls->last.ps_recv, st.ps_recv);
	widen(&ls->total.dropped, &ls->last.ps_drop, st.ps_drop);
	widen(&ls->total.if_dropped, &ls->last.ps_ifdrop, st.ps_ifdrop);
	*out = ls->total;
	return 0;
}
