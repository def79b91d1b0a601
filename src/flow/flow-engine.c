/*
 * flow-engine.c - packets in, ended flows out (see flow-engine.h).
 *
 * The clock is the largest packet (or advance) time seen; it never moves
 * back. Every advance ends the flows that are due, found at the heads of
 * three lists, so expiry never walks the table:
 *
 *   recent   flows by last packet (moved to the tail on each packet): idle
 *   closing  TCP flows closed by FIN/FIN or RST (tcp_close), by last packet:
 *            they linger for tcp_close_linger_ns to absorb the final ACKs
 *   created  every flow by creation: active timeout, flush order
 *
 * A flow is due when (closed and clock - last > linger) or clock - last >
 * idle or clock - first > active, all "strictly greater"; flow_due() is the
 * one place that says so and names the reason (the timeout that passed
 * first), wherever a flow ends (expiry, lookup, eviction, flush). So a
 * flow's packets and its end reason never depend on which list found it or
 * on when expiry ran (fp_flow_engine_advance() calls or not); only the
 * order of exports does. A lookup that finds a due flow ends it and starts
 * a new one.
 *
 * Out-of-order packets (older than the clock) are counted and applied to
 * their flow: last_ns = max, first_ns = min. A lookup judges the found flow
 * at the packet's own time, so after a bogus timestamp years ahead (or in
 * a concatenation of captures whose times go back) packets still join their
 * flows instead of each starting one. When the packet is newer than its
 * flow's last_ns it moves the flow to the list tail though that last_ns may
 * be below its neighbours', so the flow's idle expiry can run late by at
 * most the packet's lateness; flush still reports a due flow as idle/active.
 *
 * Eviction (max_flows reached, or no memory): a closed flow lingering in
 * the closing list goes first (it has ended already; reason tcp-close),
 * else the least recently seen flow (reason evicted).
 *
 * Reconfiguring changes the timeouts of all flows at once, so each list
 * keeps one timeout for all its flows and its order stays deadline order;
 * a smaller max_flows is reached by evicting the excess in slices (advance
 * and new flows), never in one call.
 *
 * Expiry is looked at only when it can find something: `next_due` is the
 * earliest time at which a list head becomes due, computed whenever the
 * heads were examined, and the heads are examined again only when the
 * clock passes it or a head changed (`heads_moved`: a head ended, moved to
 * its list's tail, a list got its first flow, a flow closed, a head's
 * first_ns went back with an out-of-order packet, a reconfigure). Any
 * flow expire() would end is a list head due at the clock, so it ends at
 * the same packet as when every clock step looked: the records and their
 * order are unchanged, and a packet of a long burst pays one comparison.
 *
 * Hashing: each engine seeds the key hash (random unless the config fixes
 * it), so keys crafted to share a probe run on one engine do not on
 * another. Nothing exported depends on the seed: expiry, eviction and
 * flush walk the lists, and entries are allocated in an order the index
 * does not influence.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "flow/flow-engine.h"
#include "flow/flow-engine-ref.h"
#include "flow/flow-key.h"
#include "flow/flow-list.h"
#include "flow/flow-table.h"
#include "flow/frag-cache.h"
#include "lib/random-seed.h"

struct fp_flow_engine {
	struct fp_flow_config cfg;	/* valid (fp_flow_config_validate()) */
	uint64_t hash_seed;		/* the key hash's seed for this engine's life */
	fp_flow_export_fn export_fn;
	void *export_ctx;
	struct fp_flow_hooks hooks;
	struct fp_flow_table *table;
	struct fp_frag_cache *frags;
	struct fp_flow_list recent, closing, created;
	int64_t clock;
	bool clock_set;
	bool expiry_backlog;		/* a capped advance may have left due flows */
	int64_t next_due;		/* no list head is due while clock <= this */
	bool heads_moved;		/* a list head changed since next_due was computed */
	struct fp_flow_stats stats;
};

struct fp_flow_engine *fp_flow_engine_new(const struct fp_flow_config *cfg, fp_flow_export_fn export_fn,
					  void *export_ctx, struct fp_error *err)
{
	struct fp_flow_engine *e;

	if (fp_flow_config_validate(cfg, err) < 0) {
		fp_error_prefix(err, "flow engine");
		return NULL;
	}
	if (export_fn == NULL) {
		fp_error_set(err, "flow engine: no export callback given");
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		fp_error_errno(err, "flow engine: allocating the engine");
		return NULL;
	}
	e->cfg = *cfg;
	e->hash_seed = cfg->hash_seed_fixed ? cfg->hash_seed : fp_random_seed();
	e->export_fn = export_fn;
	e->export_ctx = export_ctx;
	e->next_due = INT64_MAX;
	fp_flow_list_init(&e->recent);
	fp_flow_list_init(&e->closing);
	fp_flow_list_init(&e->created);
	e->table = fp_flow_table_new(cfg->extra_state_bytes, err);
	if (e->table == NULL) {
		free(e);
		return NULL;
	}
	e->frags = fp_frag_cache_new(cfg->key_vlan, err);
	if (e->frags == NULL) {
		fp_flow_table_free(e->table);
		free(e);
		return NULL;
	}
	return e;
}

void fp_flow_engine_free(struct fp_flow_engine *e)
{
	if (e == NULL)
		return;
	fp_frag_cache_free(e->frags);
	fp_flow_table_free(e->table);
	free(e);
}

void fp_flow_engine_set_hooks(struct fp_flow_engine *e, const struct fp_flow_hooks *hooks)
{
	e->hooks = *hooks;
}

void fp_flow_engine_set_prefault(struct fp_flow_engine *e, struct fp_prefault *pf)
{
	fp_flow_table_set_prefault(e->table, pf);
}

/* ------------------------------------------------------- ending flows */

/* later - earlier > span, without overflow; false when later <= earlier. */
static inline bool span_exceeded(int64_t later, int64_t earlier, int64_t span)
{
	return later > earlier && (uint64_t)later - (uint64_t)earlier > (uint64_t)span;
}

/* If `span` has passed since `since`, makes it the reason unless one
 * already chosen passed earlier (or at the same time: first come wins). */
static inline void due_by(int *why, uint64_t *overdue, int reason, int64_t clock, int64_t since, int64_t span)
{
	uint64_t late;

	if (!span_exceeded(clock, since, span))
		return;
	late = (uint64_t)clock - (uint64_t)since - (uint64_t)span;
	if (*why < 0 || late > *overdue) {
		*why = reason;
		*overdue = late;
	}
}

/* Why `f` must end at the current clock, or -1 if it need not. When more
 * than one timeout has passed, the one that passed first names the end
 * (ties: tcp-close, idle, active), so the reason does not depend on how
 * late the clock was looked at. */
static int flow_due_at(const struct fp_flow_engine *e, const struct fp_flow *f, int64_t now)
{
	int why = -1;
	uint64_t overdue = 0;

	if (f->state & FP_FLOW_CLOSED)
		due_by(&why, &overdue, FP_END_TCP_CLOSE, now, f->last_ns, e->cfg.tcp_close_linger_ns);
	due_by(&why, &overdue, FP_END_IDLE, now, f->last_ns, e->cfg.idle_timeout_ns);
	due_by(&why, &overdue, FP_END_ACTIVE, now, f->first_ns, e->cfg.active_timeout_ns);
	return why;
}

static int flow_due(const struct fp_flow_engine *e, const struct fp_flow *f)
{
	return flow_due_at(e, f, e->clock);
}

/* since + span, or INT64_MAX if that is beyond int64 (never reached). */
static inline int64_t deadline_of(int64_t since, int64_t span)
{
	int64_t d;

	return __builtin_add_overflow(since, span, &d) ? INT64_MAX : d;
}

/* The latest clock at which `f` is not yet due: flow_due_at(f, t) >= 0
 * exactly when t is greater (see span_exceeded()). */
static int64_t flow_deadline(const struct fp_flow_engine *e, const struct fp_flow *f)
{
	int64_t d = deadline_of(f->last_ns, e->cfg.idle_timeout_ns);
	int64_t a = deadline_of(f->first_ns, e->cfg.active_timeout_ns);

	if (a < d)
		d = a;
	if (f->state & FP_FLOW_CLOSED) {
		a = deadline_of(f->last_ns, e->cfg.tcp_close_linger_ns);
		d = a < d ? a : d;
	}
	return d;
}

/* next_due from the three list heads, after expire() looked at them. */
static void compute_next_due(struct fp_flow_engine *e)
{
	const uint32_t heads[3] = { e->closing.head, e->recent.head, e->created.head };
	int64_t due = INT64_MAX;

	for (int i = 0; i < 3; i++) {
		if (heads[i] != FP_FLOW_NONE) {
			int64_t d = flow_deadline(e, fp_flow_table_get(e->table, heads[i]));

			due = d < due ? d : due;
		}
	}
	e->next_due = due;
	e->heads_moved = false;
}

static inline struct fp_flow_list *recency_list(struct fp_flow_engine *e, const struct fp_flow *f)
{
	return (f->state & FP_FLOW_CLOSED) ? &e->closing : &e->recent;
}

static void end_flow(struct fp_flow_engine *e, uint32_t idx, enum fp_flow_end why)
{
	struct fp_flow *f = fp_flow_table_get(e->table, idx);

	fp_flow_list_unlink(e->table, recency_list(e, f), idx, FP_LINK_LRU);
	fp_flow_list_unlink(e->table, &e->created, idx, FP_LINK_AGE);
	e->heads_moved = true;	/* it may have been a head */
	e->stats.flows_ended[why]++;
	e->stats.active_flows--;
	e->export_fn(e->export_ctx, f, why);
	fp_flow_table_del(e->table, idx);
}

/* Ends due flows from the heads of the three lists, at most `max` (0 = all). */
static size_t expire(struct fp_flow_engine *e, size_t max)
{
	struct fp_flow_list *lists[3] = { &e->closing, &e->recent, &e->created };
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		while (max == 0 || n < max) {
			uint32_t idx = lists[i]->head;
			int why;

			if (idx == FP_FLOW_NONE)
				break;
			why = flow_due(e, fp_flow_table_get(e->table, idx));
			if (why < 0)
				break;
			end_flow(e, idx, (enum fp_flow_end)why);
			n++;
		}
	}
	return n;
}

/* Makes room by ending one flow; false if there is none. */
static bool evict_one(struct fp_flow_engine *e)
{
	uint32_t idx;
	int why;

	if (e->closing.head != FP_FLOW_NONE) {
		end_flow(e, e->closing.head, FP_END_TCP_CLOSE);
		return true;
	}
	idx = e->recent.head;
	if (idx == FP_FLOW_NONE)
		return false;
	why = flow_due(e, fp_flow_table_get(e->table, idx));
	end_flow(e, idx, why < 0 ? FP_END_EVICTED : (enum fp_flow_end)why);
	return true;
}

static bool at_max_flows(const struct fp_flow_engine *e)
{
	return e->cfg.max_flows != 0 && fp_flow_table_live(e->table) >= e->cfg.max_flows;
}

/* Before a new flow at max_flows: one eviction makes its room. A second
 * one, while a shrinking reconfigure has left more flows than max_flows,
 * works that excess down a flow at a time, so no packet pays for all of
 * it (fp_flow_engine_advance() takes its share too). */
static void make_room(struct fp_flow_engine *e)
{
	for (int i = 0; i < 2 && at_max_flows(e); i++)
		if (!evict_one(e))
			break;
}

/* Evicts flows while more than max_flows live, counting on from `n` ended
 * and stopping at `max` (0 = no limit). */
static size_t evict_excess(struct fp_flow_engine *e, size_t n, size_t max)
{
	while ((max == 0 || n < max) && e->cfg.max_flows != 0 &&
	       fp_flow_table_live(e->table) > e->cfg.max_flows && evict_one(e))
		n++;
	return n;
}

enum clock_move { CLOCK_ADVANCED, CLOCK_SAME, CLOCK_OLDER };

/* Moves the clock to `t` if that is later, and says how `t` compared. */
static enum clock_move clock_to(struct fp_flow_engine *e, int64_t t)
{
	if (!e->clock_set || t > e->clock) {
		e->clock = t;
		e->clock_set = true;
		return CLOCK_ADVANCED;
	}
	return t == e->clock ? CLOCK_SAME : CLOCK_OLDER;
}

/* --------------------------------------------------- packets into flows */

static inline uint32_t key_tag(const struct fp_flow_engine *e, const struct fp_flow_key *k)
{
	return fp_flow_table_tag(fp_flow_key_hash(k, e->hash_seed));
}

static uint32_t flow_create(struct fp_flow_engine *e, const struct fp_flow_key *k, uint32_t tag,
			    const struct fp_flow_key_side *side, int64_t ts)
{
	struct fp_flow *f;
	uint32_t idx;

	make_room(e);
	while ((idx = fp_flow_table_add(e->table, k, tag)) == FP_FLOW_NONE)
		if (!evict_one(e))
			return FP_FLOW_NONE;
	f = fp_flow_table_get(e->table, idx);
	f->first_ns = f->last_ns = ts;
	if (e->recent.head == FP_FLOW_NONE || e->created.head == FP_FLOW_NONE)
		e->heads_moved = true;	/* it becomes a head */
	if (side->opens_reversed ? !side->sender_is_hi : side->sender_is_hi)
		f->state |= FP_FLOW_INITIATOR_HI;
	fp_flow_list_append(e->table, &e->recent, idx, FP_LINK_LRU);
	fp_flow_list_append(e->table, &e->created, idx, FP_LINK_AGE);
	e->stats.flows_created++;
	if (++e->stats.active_flows > e->stats.max_active_flows)
		e->stats.max_active_flows = e->stats.active_flows;
	return idx;
}

static uint32_t packet_bytes(const struct fp_flow_engine *e, const struct fp_packet *p)
{
	switch (e->cfg.byte_mode) {
	case FP_BYTES_FRAME: return p->wire_len;
	case FP_BYTES_PAYLOAD: return p->payload_len;
	case FP_BYTES_IP: break;
	}
	return p->ip_len;
}

/* FIN/RST bookkeeping; with tcp_close, a flow that has seen FIN both ways
 * or a RST becomes CLOSED and moves to the closing list. */
static void tcp_track(struct fp_flow_engine *e, uint32_t idx, struct fp_flow *f, uint8_t flags,
		      enum fp_flow_dir dir)
{
	if (flags & FP_TCP_FIN)
		f->state |= dir == FP_DIR_FWD ? FP_FLOW_FIN_FWD : FP_FLOW_FIN_BWD;
	if (flags & FP_TCP_RST)
		f->state |= FP_FLOW_RST;
	if (!e->cfg.tcp_close || (f->state & FP_FLOW_CLOSED))
		return;
	if ((f->state & FP_FLOW_RST) || (e->cfg.tcp_close_first && (flags & FP_TCP_FIN)) ||
	    (f->state & (FP_FLOW_FIN_FWD | FP_FLOW_FIN_BWD)) == (FP_FLOW_FIN_FWD | FP_FLOW_FIN_BWD)) {
		fp_flow_list_unlink(e->table, &e->recent, idx, FP_LINK_LRU);
		e->heads_moved = true;	/* a head may have left, and its deadline is now the linger's */
		f->state |= FP_FLOW_CLOSED;
		fp_flow_list_append(e->table, &e->closing, idx, FP_LINK_LRU);
	}
}

static void flow_apply(struct fp_flow_engine *e, uint32_t idx, const struct fp_packet *p, bool sender_is_hi,
		       bool created)
{
	struct fp_flow *f = fp_flow_table_get(e->table, idx);
	enum fp_flow_dir dir = sender_is_hi == ((f->state & FP_FLOW_INITIATOR_HI) != 0) ? FP_DIR_FWD : FP_DIR_BWD;
	uint32_t bytes = packet_bytes(e, p);
	bool newest = p->ts_ns >= f->last_ns;

	f->pkts[dir]++;
	f->bytes[dir] += bytes;
	if (newest) {
		f->last_ns = p->ts_ns;
	} else if (p->ts_ns < f->first_ns) {
		f->first_ns = p->ts_ns;
		e->heads_moved = true;	/* an earlier active deadline, maybe a head's */
	}
	if (p->proto == FP_PROTO_TCP && p->has_transport) {
		f->tcp_flags_or[dir] |= p->tcp_flags;
		tcp_track(e, idx, f, p->tcp_flags, dir);
	}
	if (newest) {
		struct fp_flow_list *l = recency_list(e, f);

		if (l->head == idx && l->tail != idx)
			e->heads_moved = true;
		fp_flow_list_move_tail(e->table, l, idx, FP_LINK_LRU);
	}
	e->stats.packets++;
	e->stats.bytes += bytes;
	if (created) {
		if (e->hooks.start != NULL)
			e->hooks.start(e->hooks.ctx, f, p, dir);
	} else if (e->hooks.packet != NULL) {
		e->hooks.packet(e->hooks.ctx, f, p, dir);
	}
}

/* The live flow for key `k` as seen by a packet at time `now`, or
 * FP_FLOW_NONE; a due flow found is ended first, as expiry would have done.
 * `now` is the packet's own time: for packets in order it is the clock;
 * for a packet older than the clock (a merged capture, or a bogus
 * timestamp that threw the clock far ahead) it keeps the packet with its
 * flow instead of splitting every packet into a flow of its own. */
static uint32_t flow_lookup(struct fp_flow_engine *e, const struct fp_flow_key *k, uint32_t tag, int64_t now)
{
	uint32_t idx = fp_flow_table_find(e->table, k, tag);
	int why;

	if (idx == FP_FLOW_NONE)
		return idx;
	why = flow_due_at(e, fp_flow_table_get(e->table, idx), now);
	if (why < 0)
		return idx;
	end_flow(e, idx, (enum fp_flow_end)why);
	return FP_FLOW_NONE;
}

static bool opens_connection(const struct fp_packet *p)
{
	return p->proto == FP_PROTO_TCP && p->has_transport &&
	       (p->tcp_flags & (FP_TCP_SYN | FP_TCP_ACK)) == FP_TCP_SYN;
}

/* A later fragment: no ports, so its flow comes from the fragment cache. */
static enum fp_skip_reason fragment_packet(struct fp_flow_engine *e, const struct fp_packet *p)
{
	struct fp_flow_key k;
	bool sender_is_hi;
	uint32_t idx = FP_FLOW_NONE;

	if (fp_frag_cache_find(e->frags, p, e->clock, &k, &sender_is_hi))
		idx = flow_lookup(e, &k, key_tag(e, &k), p->ts_ns);
	if (idx == FP_FLOW_NONE) {
		e->stats.fragments_unmatched++;
		return FP_SKIP_FRAGMENT_UNMATCHED;
	}
	flow_apply(e, idx, p, sender_is_hi, false);
	e->stats.fragments_attributed++;
	return FP_DECODE_OK;
}

/* The clock is already at p's time and `k`, `side`, `tag` describe it. */
static enum fp_skip_reason packet_keyed(struct fp_flow_engine *e, const struct fp_packet *p,
					const struct fp_flow_key *k, const struct fp_flow_key_side *side,
					uint32_t tag)
{
	uint32_t idx = flow_lookup(e, k, tag, p->ts_ns);
	bool created = false;

	if (idx != FP_FLOW_NONE && opens_connection(p) &&
	    (fp_flow_table_get(e->table, idx)->state & FP_FLOW_CLOSED)) {
		end_flow(e, idx, FP_END_TCP_CLOSE);	/* a new connection on the same ports */
		idx = FP_FLOW_NONE;
	}
	if (idx == FP_FLOW_NONE) {
		idx = flow_create(e, k, tag, side, p->ts_ns);
		if (idx == FP_FLOW_NONE) {
			e->stats.no_memory++;
			return FP_DECODE_OK;
		}
		created = true;
	}
	flow_apply(e, idx, p, side->sender_is_hi, created);
	if (p->is_fragment && p->frag_offset == 0)
		fp_frag_cache_remember(e->frags, p, k, side->sender_is_hi);
	/* tcp_close_first: the closing packet is the flow's last, even for a
	 * packet of the same instant (a linger of 0 would still take those) */
	if (e->cfg.tcp_close_first && (fp_flow_table_get(e->table, idx)->state & FP_FLOW_CLOSED))
		end_flow(e, idx, FP_END_TCP_CLOSE);
	return FP_DECODE_OK;
}

static inline bool later_fragment(const struct fp_packet *p)
{
	return p->is_fragment && !p->has_transport;
}

/* Moves the clock to p's time, ending what is due. A flow can only become
 * due when the clock moves forward, and only past next_due unless a head
 * changed (see the top of the file), so the heads are looked at then (or
 * when a capped advance left work behind), not for every packet. */
static void packet_clock(struct fp_flow_engine *e, const struct fp_packet *p)
{
	enum clock_move m = clock_to(e, p->ts_ns);

	if (m == CLOCK_OLDER)
		e->stats.out_of_order++;
	if ((m == CLOCK_ADVANCED && (e->clock > e->next_due || e->heads_moved)) || e->expiry_backlog) {
		size_t cap = e->cfg.expire_per_packet;

		/* stopped at the cap: due flows may remain for the next call */
		e->expiry_backlog = expire(e, cap) == cap && cap != 0;
		compute_next_due(e);
	}
}

enum fp_skip_reason fp_flow_engine_packet(struct fp_flow_engine *e, const struct fp_packet *p)
{
	struct fp_flow_key k;
	struct fp_flow_key_side side;

	packet_clock(e, p);
	if (later_fragment(p))
		return fragment_packet(e, p);
	fp_flow_key_from_packet(p, e->cfg.key_vlan, &k, &side);
	return packet_keyed(e, p, &k, &side, key_tag(e, &k));
}

/*
 * Batches. With many live flows each packet waits on two or three memory
 * fetches in a row (index slot, entry, its recency neighbours). A batch
 * computes every key first and asks for those lines ahead (prefetch), so
 * the fetches of BATCH_GROUP packets overlap; then it accounts the packets
 * one by one exactly as fp_flow_engine_packet() would. Prefetching is only
 * a hint: whatever the batch changes meanwhile, the result is the same.
 */
#define BATCH_GROUP 16

static void batch_group(struct fp_flow_engine *e, const struct fp_packet *pkts, size_t n,
			enum fp_skip_reason *results)
{
	struct fp_flow_key k[BATCH_GROUP];
	struct fp_flow_key_side side[BATCH_GROUP];
	uint32_t tag[BATCH_GROUP], peeked[BATCH_GROUP];

	for (size_t i = 0; i < n; i++) {
		peeked[i] = FP_FLOW_NONE;
		if (later_fragment(&pkts[i]))
			continue;
		fp_flow_key_from_packet(&pkts[i], e->cfg.key_vlan, &k[i], &side[i]);
		tag[i] = key_tag(e, &k[i]);
		fp_flow_table_prefetch_slot(e->table, tag[i]);
	}
	for (size_t i = 0; i < n; i++)
		if (!later_fragment(&pkts[i]))
			peeked[i] = fp_flow_table_prefetch_entry(e->table, tag[i]);
	for (size_t i = 0; i < n; i++)	/* the same peek: nothing changed the table since */
		fp_flow_table_prefetch_links_of(e->table, peeked[i]);
	for (size_t i = 0; i < n; i++) {
		enum fp_skip_reason r;

		packet_clock(e, &pkts[i]);
		if (later_fragment(&pkts[i]))
			r = fragment_packet(e, &pkts[i]);
		else
			r = packet_keyed(e, &pkts[i], &k[i], &side[i], tag[i]);
		if (results != NULL)
			results[i] = r;
	}
}

void fp_flow_engine_packets(struct fp_flow_engine *e, const struct fp_packet *pkts, size_t n,
			    enum fp_skip_reason *results)
{
	for (size_t done = 0; done < n; done += BATCH_GROUP) {
		size_t m = n - done < BATCH_GROUP ? n - done : BATCH_GROUP;

		batch_group(e, pkts + done, m, results != NULL ? results + done : NULL);
	}
}

/* ------------------------------------------------------ clock and flush */

size_t fp_flow_engine_advance(struct fp_flow_engine *e, int64_t now_ns, size_t max_flows)
{
	size_t n;

	clock_to(e, now_ns);
	n = expire(e, max_flows);
	n = evict_excess(e, n, max_flows);
	compute_next_due(e);
	/* stopped at the cap: due flows may remain for the next call or packet */
	e->expiry_backlog = max_flows != 0 && n == max_flows;
	return n;
}

int fp_flow_engine_reconfigure(struct fp_flow_engine *e, const struct fp_flow_config *next,
			       struct fp_error *err)
{
	if (fp_flow_config_validate_change(&e->cfg, next, err) < 0)
		return fp_error_prefix(err, "flow engine");
	e->cfg = *next;
	e->heads_moved = true;	/* every deadline moved */
	return 0;
}

/* How flush ends `f`: a flow already due by its due reason; else a
 * connection that closed ends as closed, even if input ran out before its
 * linger did; else by flush. */
static enum fp_flow_end flush_reason(const struct fp_flow_engine *e, const struct fp_flow *f)
{
	int why = flow_due(e, f);

	if (why < 0)
		why = (f->state & FP_FLOW_CLOSED) ? FP_END_TCP_CLOSE : FP_END_FLUSH;
	return (enum fp_flow_end)why;
}

/*
 * Flush walks the creation list and exports each flow where it lies, then
 * empties the table and the lists in one go (fp_flow_table_clear()): no
 * per-flow unlinking (whose neighbours are random entries) nor index
 * deletion (a random slot each, and repeated index halvings). The next
 * entry is prefetched while the current one is exported. The records,
 * their order (creation), reasons and statistics are those of ending each
 * flow through end_flow(), as fp_flow_engine_flush_each() still does;
 * only the list links an exported flow carries differ, and they are the
 * engine's bookkeeping, not part of the record.
 */
void fp_flow_engine_flush(struct fp_flow_engine *e)
{
	uint32_t idx = e->created.head;

	while (idx != FP_FLOW_NONE) {
		struct fp_flow *f = fp_flow_table_get(e->table, idx);
		uint32_t next = f->age_next;	/* read first: the callback may write to f */
		enum fp_flow_end why = flush_reason(e, f);

		if (next != FP_FLOW_NONE)
			fp_flow_table_prefetch_idx(e->table, next);
		e->stats.flows_ended[why]++;
		e->stats.active_flows--;
		e->export_fn(e->export_ctx, f, why);
		idx = next;
	}
	fp_flow_list_init(&e->recent);
	fp_flow_list_init(&e->closing);
	fp_flow_list_init(&e->created);
	fp_flow_table_clear(e->table);
	e->heads_moved = true;
}

size_t fp_flow_engine_flush_some(struct fp_flow_engine *e, size_t max)
{
	size_t n = 0;

	while (e->created.head != FP_FLOW_NONE && (max == 0 || n < max)) {
		uint32_t idx = e->created.head;

		end_flow(e, idx, flush_reason(e, fp_flow_table_get(e->table, idx)));
		n++;
	}
	return n;
}

void fp_flow_engine_flush_each(struct fp_flow_engine *e)
{
	fp_flow_engine_flush_some(e, 0);
}

const struct fp_flow_table *fp_flow_engine_table(const struct fp_flow_engine *e)
{
	return e->table;
}

const struct fp_flow_stats *fp_flow_engine_stats(const struct fp_flow_engine *e)
{
	return &e->stats;
}

int64_t fp_flow_engine_clock(const struct fp_flow_engine *e)
{
	return e->clock_set ? e->clock : 0;
}

size_t fp_flow_engine_memory(const struct fp_flow_engine *e)
{
	return sizeof(*e) + fp_flow_table_memory(e->table) + fp_frag_cache_memory(e->frags);
}

void fp_flow_stats_add(struct fp_flow_stats *a, const struct fp_flow_stats *b)
{
	a->packets += b->packets;
	a->bytes += b->bytes;
	a->flows_created += b->flows_created;
	for (int i = 0; i < FP_END__COUNT; i++)
		a->flows_ended[i] += b->flows_ended[i];
	a->active_flows += b->active_flows;
	if (b->max_active_flows > a->max_active_flows)
		a->max_active_flows = b->max_active_flows;
	a->fragments_attributed += b->fragments_attributed;
	a->fragments_unmatched += b->fragments_unmatched;
	a->out_of_order += b->out_of_order;
	a->no_memory += b->no_memory;
}
