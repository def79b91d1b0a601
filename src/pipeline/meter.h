/*
 * meter.h - one capture's packets to record batches: the seam where the
 * stages are wired (decode -> flow engine + feature sets -> record batches).
 *
 * Both front ends drive a meter: `flowprep pcap` feeds it every packet of a
 * file (pipeline/feed.h); the daemon feeds it slices of spool files and
 * live packets, and calls fp_meter_advance() from a timer so silent flows
 * end on time.
 *
 * Bounded work. No call does unbounded work, so a live interface is never
 * starved by one packet that ends a million idle flows:
 *   - fp_meter_packet() ends at most fp_meter_max_rows_per_call() flows
 *     (queued packets are handed to the engine a burst at a time, and the
 *     engine caps the expiry each packet triggers);
 *   - fp_meter_advance() and fp_meter_finish() end at most their `max`
 *     (queued packets they must account first included), and say when
 *     work is left for the next call.
 *
 * Hand-off. Finished rows go into batches from a small pool of the meter's
 * own. A full batch is handed to `emit` by ownership: the consumer encodes
 * and writes it now, on a worker thread or on a later loop turn, and gives
 * it back with fp_batch_release(). fp_meter_ready() says whether a call
 * can be made without overdrawing the pool; a caller that ignores it still
 * loses nothing (an extra batch is allocated and counted in `overdrawn`).
 *
 * The meter is opaque: front ends read it through the accessors.
 */
#ifndef FP_PIPELINE_METER_H
#define FP_PIPELINE_METER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "flow/flow-engine.h"
#include "flow/flow-features.h"
#include "lib/error.h"
#include "record/batch.h"

#define FP_METER_DEFAULT_BATCH_ROWS 8192
#define FP_METER_DEFAULT_BATCHES 4
#define FP_METER_MAX_BATCHES 33	/* what fp_meter_batches_for() asks for at most */

/* Decoded packets handed to the flow engine together: its batch call
 * overlaps the cache misses of many flows (see fp_flow_engine_packets). */
#define FP_METER_PACKET_BURST 32

struct fp_meter_config {
	struct fp_flow_config flow;
	const struct fp_flow_features *features;	/* record layout; borrowed, may be shared by meters */
	size_t batch_rows;				/* rows per batch (default 8192) */
	size_t batches;					/* batches in the pool (default 4) */
	struct fp_prefault *prefault;			/* faults the flow table's fresh memory in
							 * ahead (lib/prefault.h; borrowed), or NULL */
};

void fp_meter_config_defaults(struct fp_meter_config *c);

/* The batches (fp_meter_config.batches) for a meter whose batches go to a
 * writer that holds `rows_held` rows before it encodes any
 * (fp_format_rows_held(): a Parquet row group): the default, plus room for
 * those rows, at most FP_METER_MAX_BATCHES. With fewer, the meter stops
 * each time the writer encodes a row group; at a million flows ended at
 * once that was a third of the run. Batches are made only when first taken
 * (batch-pool.h), so the room costs memory only when the writer is behind. */
size_t fp_meter_batches_for(size_t rows_held, size_t batch_rows);

/* Takes ownership of `b` whatever it returns; give it back with
 * fp_batch_release(). Returns -1 (err set) when the rows could not be
 * taken: the meter then stops. */
typedef int (*fp_meter_emit_fn)(void *ctx, struct fp_batch *b, struct fp_error *err);

struct fp_meter;

struct fp_meter *fp_meter_new(const struct fp_meter_config *cfg, fp_meter_emit_fn emit, void *emit_ctx,
			      struct fp_error *err);
void fp_meter_free(struct fp_meter *m);

/* The link type of the packets that follow. */
void fp_meter_set_linktype(struct fp_meter *m, int linktype);

/* Decodes one packet and queues it for the flow engine (the engine reads
 * only the parsed fields, never the packet bytes, so `data` may be reused
 * at once). Returns -1 only when emitting a batch failed (fp_meter_error()
 * says why); a packet that cannot be decoded is counted. */
int fp_meter_packet(struct fp_meter *m, const uint8_t *data, uint32_t caplen, uint32_t wirelen, int64_t ts_ns);

/* Packets decoded elsewhere (pipeline/decode-ahead.h), in capture order,
 * at most fp_meter_packets_while_ready() of them: accounted exactly as
 * fp_meter_packet() accounts the ones it decodes. -1 as there. */
int fp_meter_decoded(struct fp_meter *m, const struct fp_packet *pkts, size_t n);
/* Packets read elsewhere that did not decode, by reason: counted as
 * fp_meter_packet() counts them. */
void fp_meter_count_undecoded(struct fp_meter *m, const uint64_t skipped[FP_SKIP__COUNT]);

/* Advances the clock to now_ns (live capture timers), ending at most `max`
 * due flows (0 = no limit; a `max` below one packet's worst case is raised
 * to it). Returns the number ended, or -1 when emitting failed; *more is
 * set when work is left (call again). */
long fp_meter_advance(struct fp_meter *m, int64_t now_ns, size_t max, bool *more);

/* Ends every flow (end of input) and emits the last batch, in slices of at
 * most `max` flows (0 = all at once): call while *more is set. Returns 0,
 * or -1 when emitting failed (err says why). */
int fp_meter_finish(struct fp_meter *m, size_t max, bool *more, struct fp_error *err);

/* New timeouts and max_flows for the flows from now on, without ending
 * any (fp_flow_engine_reconfigure(); the layout fields are kept). */
int fp_meter_reconfigure(struct fp_meter *m, const struct fp_flow_config *flow, struct fp_error *err);

/* Whether the next fp_meter_packet() call, or an advance/finish of at
 * most fp_meter_max_rows_per_call() flows, has batch room without
 * overdrawing the pool. */
bool fp_meter_ready(const struct fp_meter *m);
/* After fp_meter_ready() said yes: how many fp_meter_packet() calls may
 * follow before asking again. Packets are queued until a burst is full and
 * only the call that fills it makes records, so readiness holds until
 * then. */
size_t fp_meter_packets_while_ready(const struct fp_meter *m);
/* Waits until fp_meter_ready(): for a meter whose batches are written on
 * another thread, which gives them back (pipeline/write-thread.h). */
void fp_meter_wait_ready(struct fp_meter *m);
size_t fp_meter_max_rows_per_call(const struct fp_meter *m);

/* Accessors. */
const struct fp_schema *fp_meter_schema(const struct fp_meter *m);
const struct fp_decode_stats *fp_meter_decode_stats(const struct fp_meter *m);
const struct fp_flow_stats *fp_meter_flow_stats(const struct fp_meter *m);
uint64_t fp_meter_records(const struct fp_meter *m);	/* rows made (emitted or pending) */
uint64_t fp_meter_overdrawn(const struct fp_meter *m);	/* batches allocated past the pool */
bool fp_meter_failed(const struct fp_meter *m);
const struct fp_error *fp_meter_error(const struct fp_meter *m);

#endif
