/*
 * flow-engine.h - packets in, finished flow records out.
 *
 * The engine owns a flow table and ends flows on idle timeout, active
 * timeout, TCP close (optional), table full (least recently seen first) and
 * flush. Its clock comes from the caller: fp_flow_engine_packet() advances
 * it to the packet's time (files: packet time drives expiry, never the speed
 * of reading), fp_flow_engine_advance() advances it without a packet (live
 * capture: wall-clock timers), in bounded slices for an event loop.
 *
 * Timeout rule: a flow ends before a packet that arrives more than
 * idle_timeout after the flow's last packet, or more than active_timeout
 * after its first packet ("strictly greater"). Expiry is continuous: every
 * advance of the clock ends the flows that are due, by walking the heads of
 * two ordered lists (recency and creation), never the whole table. So memory
 * holds only live flows.
 *
 * Each ended flow is handed to the export callback, which must copy what it
 * needs: the flow's memory is reused right after. Callback order is
 * deterministic for a given input, whatever the hash seed. Callbacks must
 * not call back into the engine.
 *
 * The key hash is seeded per engine, from the kernel's random source
 * unless the configuration fixes the seed (tests), so 5-tuples crafted to
 * pile up in one probe run of the index cannot be sent blind.
 *
 * Configuration: fp_flow_config_validate() is the one judge of a
 * configuration (the engine refuses what it refuses), and
 * fp_flow_engine_reconfigure() changes timeouts and max_flows of a running
 * engine without ending its flows.
 *
 * The per-packet path allocates nothing in steady state; the table grows
 * (its index doubling, entries added in fixed chunks that never move) while
 * the number of live flows reaches a new high, and gives memory back when
 * that number falls far (index halved, emptied chunks unmapped).
 *
 * Bounded work: a packet ends at most expire_per_packet + 2 flows (list
 * expiry, its own flow if that was due, one eviction when the table is
 * full), + 3 with tcp_close_first (the flow its FIN or RST closes); fp_flow_engine_advance() at most its `max_flows`. Due flows left
 * over stay in the lists and end on the next packets or advance calls, so
 * a clock jump over a million idle flows costs no single call more than
 * that. A record never depends on when its flow was found due (its end
 * reason and counters are judged at the flow's own deadline, and a packet
 * for a due flow ends it first); only the order of records can.
 *
 * Fragments: a later IP fragment (no transport header) is counted in the
 * flow of its datagram's first fragment, found by (addresses, protocol,
 * fragment ID) in a small fixed cache. A later fragment that arrives before
 * its first fragment, more than 30 s after it, or after its flow ended, is
 * not attributed: it is counted in fragments_unmatched and reported as
 * FP_SKIP_FRAGMENT_UNMATCHED.
 */
#ifndef FP_FLOW_FLOW_ENGINE_H
#define FP_FLOW_FLOW_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "decode/packet.h"
#include "flow/flow.h"
#include "lib/error.h"
#include "lib/parse-value.h"

/* How fwd_bytes/bwd_bytes are counted. */
enum fp_byte_mode {
	FP_BYTES_IP,		/* IP datagram length from the IP header (default; NetFlow/IPFIX octets) */
	FP_BYTES_FRAME,		/* frame length on the wire, link header included */
	FP_BYTES_PAYLOAD,	/* transport payload: IP length minus IP and transport headers */
};

/* The names users give byte modes ("ip", "frame", "payload"), for
 * fp_parse_enum(). */
extern const struct fp_enum_name fp_byte_mode_names[];

#define FP_FLOW_MAX_FLOWS_LIMIT ((size_t)1 << 31)
#define FP_FLOW_EXTRA_STATE_MAX 4096

struct fp_flow_config {
	int64_t idle_timeout_ns;	/* default 60 s */
	int64_t active_timeout_ns;	/* default 3600 s */
	bool tcp_close;			/* end TCP flows on FIN both ways or RST (default off) */
	bool tcp_close_first;		/* with tcp_close: the first FIN or RST from either side ends
					 * the flow at once, that packet its last, no linger (what
					 * pcapflower does; feature sets ask for it, see feature-set.h) */
	int64_t tcp_close_linger_ns;	/* a closed flow still takes packets (final ACKs) for this long;
					 * default 1 s, at most the idle timeout */
	size_t max_flows;		/* live flows at most; 0 = unlimited */
	enum fp_byte_mode byte_mode;
	bool key_vlan;			/* VLAN ID part of the key (default off) */
	size_t extra_state_bytes;	/* per-flow room for a feature set (zeroed when a flow
					 * starts; at most FP_FLOW_EXTRA_STATE_MAX) */
	bool hash_seed_fixed;		/* seed the flow hash with hash_seed (tests); default off:
					 * each engine draws a random seed */
	uint64_t hash_seed;
	size_t expire_per_packet;	/* due flows one packet may end from the expiry lists
					 * (default 64; 0 = no limit); see "Bounded work" */
};

void fp_flow_config_defaults(struct fp_flow_config *c);

/* Whether `c` can run an engine: timeouts positive, linger at most the
 * idle timeout, a known byte mode, limits kept. One sentence in `err` on
 * the first fault, naming the setting; the caller says where the settings
 * came from (an option, a configuration key). */
int fp_flow_config_validate(const struct fp_flow_config *c, struct fp_error *err);

/* Whether an engine running `from` can switch to `to` without ending its
 * flows (fp_flow_engine_reconfigure()): `to` is valid and changes only
 * timeouts, tcp_close and max_flows. The key (key_vlan, hash seed), the
 * byte accounting and the per-flow layout (extra_state_bytes) are fixed
 * for an engine's life. */
int fp_flow_config_validate_change(const struct fp_flow_config *from, const struct fp_flow_config *to,
				   struct fp_error *err);

typedef void (*fp_flow_export_fn)(void *ctx, struct fp_flow *flow, enum fp_flow_end why);

struct fp_flow_stats {
	uint64_t packets;		/* packets that updated a flow */
	uint64_t bytes;			/* their bytes, in the configured accounting */
	uint64_t flows_created;
	uint64_t flows_ended[FP_END__COUNT];
	uint64_t active_flows;		/* now */
	uint64_t max_active_flows;	/* high-water mark */
	uint64_t fragments_attributed;	/* later IP fragments added to their flow by ID */
	uint64_t fragments_unmatched;	/* later fragments with no first fragment seen */
	uint64_t out_of_order;		/* packets older than the clock (counted, still applied) */
	uint64_t no_memory;		/* packets dropped: no memory for a new flow and none to evict */
};

struct fp_flow_engine;

struct fp_flow_engine *fp_flow_engine_new(const struct fp_flow_config *cfg, fp_flow_export_fn export_fn,
					  void *export_ctx, struct fp_error *err);
void fp_flow_engine_free(struct fp_flow_engine *e);

/* Hooks for the feature sets (flow-features.h): `start` after a new flow's
 * first packet was applied (its extra state is zeroed before), `packet`
 * after each later one, in direction `dir`; later IP fragments reach
 * `packet` too (p->has_transport false). Either may be NULL. They must not
 * call back into the engine. */
struct fp_flow_hooks {
	void (*start)(void *ctx, struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir);
	void (*packet)(void *ctx, struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir);
	void *ctx;
};
void fp_flow_engine_set_hooks(struct fp_flow_engine *e, const struct fp_flow_hooks *hooks);

/* Fresh table memory faulted in by a helper (flow-table.h; borrowed, NULL:
 * none). Changes nothing in what the engine does, only which thread the
 * kernel zeroes new pages on. */
struct fp_prefault;
void fp_flow_engine_set_prefault(struct fp_flow_engine *e, struct fp_prefault *pf);

/* Accounts one decoded packet. Advances the clock to its time first,
 * ending due flows (at most expire_per_packet of them; see below). Returns FP_DECODE_OK, or
 * FP_SKIP_FRAGMENT_UNMATCHED for a later fragment that cannot be attributed. */
enum fp_skip_reason fp_flow_engine_packet(struct fp_flow_engine *e, const struct fp_packet *p);

/* Accounts pkts[0..n) in order with exactly the effect of n calls of
 * fp_flow_engine_packet(), but faster with many live flows: the memory
 * fetches of neighbouring packets overlap. results[i] (if results is not
 * NULL) gets packet i's result. The packet hook sees each packet as usual;
 * its l3/l4 pointers are whatever the caller left in the array. */
void fp_flow_engine_packets(struct fp_flow_engine *e, const struct fp_packet *pkts, size_t n,
			    enum fp_skip_reason *results);

/* Advances the clock to `now_ns` and ends at most `max_flows` due flows
 * (0 = no limit). Returns how many were ended; call again while it returns
 * `max_flows` to finish the work in slices. */
size_t fp_flow_engine_advance(struct fp_flow_engine *e, int64_t now_ns, size_t max_flows);

/* Switches to `next` (see fp_flow_config_validate_change(); on refusal
 * nothing changes) without ending any flow. New timeouts and linger apply
 * to every flow, the live ones too: each expiry list holds its flows in
 * order of the time its timeout counts from (last packet, creation), one
 * timeout per list, so that order stays the deadline order and the list
 * heads still find every due flow. Flows due under the new timeouts end
 * at the next advance of the clock (fp_flow_engine_advance() in its
 * slices, or a packet). If max_flows falls below the live flows, the
 * least recently seen go over time, never all in one call: each
 * fp_flow_engine_advance() ends up to its cap of them, and each new flow
 * ends one besides the one it makes room for. Turning tcp_close off lets
 * flows already closed finish their linger; turning it on closes flows
 * at their next FIN or RST. */
int fp_flow_engine_reconfigure(struct fp_flow_engine *e, const struct fp_flow_config *next,
			       struct fp_error *err);

/* Ends every flow (in creation order), e.g. at end of input. */
void fp_flow_engine_flush(struct fp_flow_engine *e);
/* The same records in the same order, at most `max` of them per call (0 =
 * all), for an event loop; returns how many were ended. */
size_t fp_flow_engine_flush_some(struct fp_flow_engine *e, size_t max);

const struct fp_flow_stats *fp_flow_engine_stats(const struct fp_flow_engine *e);
/* Adds b's counters to a's (summing engines that ran one after another or
 * side by side): counts add up, high-water marks take the larger. */
void fp_flow_stats_add(struct fp_flow_stats *a, const struct fp_flow_stats *b);
int64_t fp_flow_engine_clock(const struct fp_flow_engine *e);
/* Bytes the engine holds now (table, index, fragment cache). */
size_t fp_flow_engine_memory(const struct fp_flow_engine *e);

#endif
