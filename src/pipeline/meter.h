/*
 * meter.h - one capture's packets to record batches: decode, flow engine
 * and flow records wired together.
 *
 * The meter is what both front ends drive: `flowprep pcap` feeds it every
 * packet of a file; the daemon will feed it slices of spool files and live
 * packets and call fp_meter_advance() from a timer. Finished flows are
 * appended to a batch; each full batch is handed to `emit` (a sink, a
 * spill...), and the last partial one at fp_meter_finish().
 */
#ifndef FP_PIPELINE_METER_H
#define FP_PIPELINE_METER_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "flow/flow-engine.h"
#include "lib/error.h"
#include "record/batch.h"
#include "record/flow-record.h"

#define FP_METER_DEFAULT_BATCH_ROWS 8192

/* Decoded packets handed to the flow engine together: its batch call
 * overlaps the cache misses of many flows (see fp_flow_engine_packets). */
#define FP_METER_PACKET_BURST 32

typedef int (*fp_meter_emit_fn)(void *ctx, const struct fp_batch *b, struct fp_error *err);

struct fp_meter {
	int linktype;
	struct fp_decode_stats decode;
	struct fp_flow_engine *engine;
	struct fp_flow_recorder recorder;
	struct fp_batch *batch;
	struct fp_packet burst[FP_METER_PACKET_BURST];	/* decoded, not yet accounted */
	size_t nburst;
	fp_meter_emit_fn emit;
	void *emit_ctx;
	uint64_t records;		/* flow records emitted or pending */
	int failed;			/* emit failed: stop feeding */
	struct fp_error error;		/* why */
};

struct fp_meter *fp_meter_new(const struct fp_flow_config *cfg, const struct fp_schema *schema, size_t batch_rows,
			      fp_meter_emit_fn emit, void *emit_ctx, struct fp_error *err);
void fp_meter_free(struct fp_meter *m);

/* The link type of the packets that follow (from the capture file). */
static inline void fp_meter_set_linktype(struct fp_meter *m, int linktype) { m->linktype = linktype; }

/* Decodes one packet and queues it for the flow engine (up to a burst of
 * FP_METER_PACKET_BURST; the engine reads only the parsed fields, never the
 * packet bytes, so `data` may be reused at once; a future feature set whose
 * packet hook reads payload bytes must drain per packet). Returns -1 only when
 * emitting a batch failed (m->error says why); a packet that cannot be
 * decoded is counted. */
int fp_meter_packet(struct fp_meter *m, const uint8_t *data, uint32_t caplen, uint32_t wirelen, int64_t ts_ns);

/* Advances the clock without a packet (live capture timers). */
int fp_meter_advance(struct fp_meter *m, int64_t now_ns, size_t max_flows);

/* Ends every flow and emits the last batch. */
int fp_meter_finish(struct fp_meter *m, struct fp_error *err);

#endif
