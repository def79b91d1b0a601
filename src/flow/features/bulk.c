/*
 * bulk.c - CICFlowMeter's bulk transfers (see bulk.h).
 */
#include "config.h"

#include "flow/features/bulk.h"

static void bulk_begin(struct fp_bulk *b, uint32_t payload, int64_t t)
{
	b->run_start = b->run_last = t;
	b->run_pkts = 1;
	b->run_bytes = payload;
}

void fp_bulk_packet(struct fp_bulk *b, const struct fp_bulk *other, uint32_t payload, int64_t t)
{
	/* the other direction sent payload since our run began: it is over
	 * (run_last is 0 until a direction sends payload; capture times are
	 * after 1970) */
	if (b->run_pkts > 0 && other->run_last > b->run_start)
		b->run_pkts = 0;
	if (payload == 0)
		return;
	if (b->run_pkts == 0 || t - b->run_last > FP_BULK_MAX_GAP_NS) {
		bulk_begin(b, payload, t);
		return;
	}
	b->run_pkts++;
	b->run_bytes += payload;
	if (b->run_pkts == FP_BULK_MIN_PKTS) {	/* a bulk now: count the whole run */
		b->count++;
		b->pkts += b->run_pkts;
		b->bytes += b->run_bytes;
		b->dur_ns += t - b->run_start;
	} else if (b->run_pkts > FP_BULK_MIN_PKTS) {	/* the bulk goes on */
		b->pkts++;
		b->bytes += payload;
		b->dur_ns += t - b->run_last;
	}
	b->run_last = t;
}
