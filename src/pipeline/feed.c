/*
 * feed.c - source -> meter (see feed.h). The meter's readiness is checked
 * before a packet that may make records: one fp_meter_packet() call can
 * end at most one burst's worth of flows, which is what fp_meter_ready()
 * has room for, and only the call that fills a burst makes any; so one
 * check covers the packets up to that one.
 *
 * A feeder (feed.h) picks one of the two loops for a source: this one, or
 * fp_meter_feed_ahead() when a helper thread decodes the source.
 *
 * Each packet carries its link type (a pcapng file's interfaces may
 * differ); the meter is told only when it changes, so a one-link-type
 * capture costs one comparison per packet.
 */
#include "config.h"

#include "pipeline/feed.h"

enum fp_feed_status fp_meter_feed(struct fp_meter *m, struct fp_source *src, size_t max_packets, size_t *fed,
				  struct fp_error *err)
{
	enum fp_feed_status status = FP_FEED_BUDGET;
	struct fp_raw_packet pkt;
	size_t n = 0, unasked = 0;	/* packets the last readiness check still covers */
	int linktype = src->linktype;

	fp_meter_set_linktype(m, linktype);
	while (max_packets == 0 || n < max_packets) {
		int rc;

		if (unasked == 0) {
			if (!fp_meter_ready(m)) {
				status = FP_FEED_NOT_READY;
				break;
			}
			unasked = fp_meter_packets_while_ready(m);
		}
		unasked--;
		rc = fp_source_next(src, &pkt, err);
		if (rc <= 0) {
			status = rc < 0 ? FP_FEED_INPUT_ERROR : src->ended ? FP_FEED_END : FP_FEED_IDLE;
			break;
		}
		n++;
		if (__builtin_expect(pkt.linktype != linktype, 0)) {
			linktype = pkt.linktype;
			fp_meter_set_linktype(m, linktype);
		}
		if (fp_meter_packet(m, pkt.data, pkt.caplen, pkt.wirelen, pkt.ts_ns) < 0) {
			status = FP_FEED_OUTPUT_ERROR;
			break;
		}
	}
	if (fed != NULL)
		*fed = n;
	return status;
}

/* The status at the end of a decode-ahead's packets. */
static enum fp_feed_status ahead_end(struct fp_decode_ahead *da, struct fp_error *err)
{
	return fp_decode_ahead_status(da, err) < 0 ? FP_FEED_INPUT_ERROR : FP_FEED_END;
}

enum fp_feed_status fp_meter_feed_ahead(struct fp_meter *m, struct fp_decode_ahead *da, size_t max_packets,
					size_t *fed, struct fp_error *err)
{
	enum fp_feed_status status = FP_FEED_BUDGET;
	size_t n = 0;

	while (max_packets == 0 || n < max_packets) {
		const struct fp_decoded_burst *fresh;
		size_t have, k;
		const struct fp_packet *pkts = fp_decode_ahead_packets(da, &have, &fresh);

		if (pkts == NULL) {
			status = ahead_end(da, err);
			break;
		}
		if (fresh != NULL) {
			fp_meter_count_undecoded(m, fresh->skipped);
			n += fresh->read - fresh->n;
		}
		if (have == 0)
			continue;
		if (max_packets != 0 && n >= max_packets)
			break;	/* the skipped ones used the budget up */
		if (!fp_meter_ready(m)) {
			status = FP_FEED_NOT_READY;
			break;
		}
		k = fp_meter_packets_while_ready(m);
		k = k < have ? k : have;
		if (max_packets != 0 && k > max_packets - n)
			k = max_packets - n;
		fp_decode_ahead_take(da, k);
		n += k;
		if (fp_meter_decoded(m, pkts, k) < 0) {
			status = FP_FEED_OUTPUT_ERROR;
			break;
		}
	}
	if (fed != NULL)
		*fed = n;
	return status;
}

void fp_feeder_start(struct fp_feeder *f, struct fp_source *src, bool helper)
{
	struct fp_error ignored;

	f->src = src;
	f->ahead = helper && src->size > 0 ? fp_decode_ahead_start(src, &ignored) : NULL;
}

enum fp_feed_status fp_feeder_feed(struct fp_feeder *f, struct fp_meter *m, size_t max_packets, size_t *fed,
				   struct fp_error *err)
{
	if (f->ahead != NULL)
		return fp_meter_feed_ahead(m, f->ahead, max_packets, fed, err);
	return fp_meter_feed(m, f->src, max_packets, fed, err);
}

void fp_feeder_progress(const struct fp_feeder *f, uint64_t *bytes, uint64_t *packets)
{
	*bytes = f->ahead ? fp_decode_ahead_position(f->ahead) : fp_source_position(f->src);
	*packets = f->ahead ? fp_decode_ahead_source_packets(f->ahead) : f->src->packets;
}

void fp_feeder_stop(struct fp_feeder *f)
{
	fp_decode_ahead_free(f->ahead);
	f->ahead = NULL;
}
