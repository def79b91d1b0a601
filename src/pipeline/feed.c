/*
 * feed.c - source -> meter (see feed.h). The meter's readiness is checked
 * before each packet: one fp_meter_packet() call can end at most one
 * burst's worth of flows, which is what fp_meter_ready() has room for.
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
	size_t n = 0;
	int linktype = src->linktype;

	fp_meter_set_linktype(m, linktype);
	while (max_packets == 0 || n < max_packets) {
		int rc;

		if (!fp_meter_ready(m)) {
			status = FP_FEED_NOT_READY;
			break;
		}
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
