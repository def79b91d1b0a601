/*
 * meter.c - decode -> flow engine + feature sets -> batches (see meter.h).
 *
 * Rows go into `batch`, taken from the meter's pool when the first row of a
 * batch is made; a full batch is emitted at once, by ownership. The
 * engine's export callback is the only place rows are made, so counting
 * them there (`records`) is how a slice knows how much it has done.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline/meter.h"
#include "record/batch-pool.h"

struct fp_meter {
	int linktype;
	struct fp_decode_stats decode;
	struct fp_flow_engine *engine;
	const struct fp_flow_features *features;
	struct fp_batch_pool *pool;
	struct fp_batch *batch;		/* rows being made, or NULL */
	size_t batch_rows;
	struct fp_packet burst[FP_METER_PACKET_BURST];	/* decoded, not yet accounted */
	size_t nburst;
	size_t per_packet_rows;		/* most rows one packet can end (0: no limit) */
	fp_meter_emit_fn emit;
	void *emit_ctx;
	uint64_t records;
	uint64_t overdrawn;
	bool failed;			/* emitting failed: stop */
	struct fp_error error;		/* why */
};

void fp_meter_config_defaults(struct fp_meter_config *c)
{
	memset(c, 0, sizeof(*c));
	fp_flow_config_defaults(&c->flow);
	c->batch_rows = FP_METER_DEFAULT_BATCH_ROWS;
	c->batches = FP_METER_DEFAULT_BATCHES;
}

size_t fp_meter_batches_for(size_t rows_held, size_t batch_rows)
{
	size_t n = batch_rows ? rows_held / batch_rows + FP_METER_DEFAULT_BATCHES - 1 : FP_METER_DEFAULT_BATCHES;

	return n < FP_METER_DEFAULT_BATCHES ? FP_METER_DEFAULT_BATCHES : n > FP_METER_MAX_BATCHES ? FP_METER_MAX_BATCHES : n;
}

/* Hands the current batch over; the consumer owns it from here. */
static void emit_batch(struct fp_meter *m)
{
	struct fp_batch *b = m->batch;

	m->batch = NULL;
	if (m->emit(m->emit_ctx, b, &m->error) < 0)
		m->failed = true;
}

static struct fp_batch *current_batch(struct fp_meter *m)
{
	if (m->batch != NULL)
		return m->batch;
	m->batch = fp_batch_pool_take(m->pool);
	if (m->batch == NULL) {
		/* the caller fed us past fp_meter_ready(): lose nothing */
		m->batch = fp_batch_new(fp_flow_features_schema(m->features), m->batch_rows);
		if (m->batch != NULL)
			m->overdrawn++;
	}
	return m->batch;
}

/* The flow engine's export callback: one ended flow becomes one row. */
static void meter_export(void *ctx, struct fp_flow *flow, enum fp_flow_end why)
{
	struct fp_meter *m = ctx;
	struct fp_batch *b;

	if (m->failed)
		return;
	b = current_batch(m);
	if (b == NULL || fp_flow_features_append(m->features, b, flow, why) < 0) {
		fp_error_set(&m->error, "out of memory making a flow record");
		m->failed = true;
		return;
	}
	m->records++;
	if (fp_batch_full(b))
		emit_batch(m);
}

/* Enough batches that a meter whose batches are all back is ready: one
 * call's worst case fits, plus the batch being filled. */
static size_t pool_size(const struct fp_meter_config *cfg, size_t batch_rows, size_t per_packet_rows)
{
	size_t n = cfg->batches ? cfg->batches : FP_METER_DEFAULT_BATCHES;
	size_t worst = per_packet_rows * FP_METER_PACKET_BURST;
	size_t need = per_packet_rows ? (worst + batch_rows - 1) / batch_rows + 1 : 1;

	return n > need ? n : need;
}

struct fp_meter *fp_meter_new(const struct fp_meter_config *cfg, fp_meter_emit_fn emit, void *emit_ctx,
			      struct fp_error *err)
{
	struct fp_meter *m = calloc(1, sizeof(*m));
	struct fp_flow_config flow = cfg->flow;
	struct fp_flow_hooks hooks;

	if (m == NULL) {
		fp_error_set(err, "out of memory");
		return NULL;
	}
	m->emit = emit;
	m->emit_ctx = emit_ctx;
	m->features = cfg->features;
	m->batch_rows = cfg->batch_rows ? cfg->batch_rows : FP_METER_DEFAULT_BATCH_ROWS;
	fp_flow_features_flow_config(cfg->features, &flow);	/* the sets' definitions need these */
	flow.extra_state_bytes = fp_flow_features_state_size(cfg->features);
	m->per_packet_rows = flow.expire_per_packet ? flow.expire_per_packet + (flow.tcp_close_first ? 3 : 2) : 0;
	m->pool = fp_batch_pool_new(fp_flow_features_schema(cfg->features), m->batch_rows,
				    pool_size(cfg, m->batch_rows, m->per_packet_rows));
	if (m->pool == NULL) {
		fp_error_set(err, "out of memory");
		fp_meter_free(m);
		return NULL;
	}
	m->engine = fp_flow_engine_new(&flow, meter_export, m, err);
	if (m->engine == NULL) {
		fp_meter_free(m);
		return NULL;
	}
	fp_flow_features_hooks(cfg->features, &hooks);
	fp_flow_engine_set_hooks(m->engine, &hooks);
	fp_flow_engine_set_prefault(m->engine, cfg->prefault);
	return m;
}

void fp_meter_free(struct fp_meter *m)
{
	if (m == NULL)
		return;
	fp_flow_engine_free(m->engine);
	fp_batch_release(m->batch);
	fp_batch_pool_free(m->pool);
	free(m);
}

void fp_meter_set_linktype(struct fp_meter *m, int linktype)
{
	m->linktype = linktype;
}

static void count_results(struct fp_meter *m, const struct fp_packet *pkts, const enum fp_skip_reason *results,
			  size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (results[i] == FP_DECODE_OK)
			fp_decode_stats_count_ok(&m->decode, &pkts[i]);
		else
			m->decode.skipped[results[i]]++;
	}
}

/* Accounts n <= FP_METER_PACKET_BURST packets in the flow engine. */
static void account(struct fp_meter *m, const struct fp_packet *pkts, size_t n)
{
	enum fp_skip_reason results[FP_METER_PACKET_BURST];

	fp_flow_engine_packets(m->engine, pkts, n, results);
	count_results(m, pkts, results, n);
}

/* Accounts every queued packet in the flow engine. */
static void drain(struct fp_meter *m)
{
	if (m->nburst == 0)
		return;
	account(m, m->burst, m->nburst);
	m->nburst = 0;
}

/* Accounts queued packets one at a time while another packet's worst case
 * still fits in `budget` rows (always at least one packet). Returns the rows
 * made. */
static uint64_t drain_within(struct fp_meter *m, size_t budget)
{
	uint64_t before = m->records;
	size_t done = 0;

	if (budget == 0 || m->per_packet_rows == 0) {
		drain(m);
		return m->records - before;
	}
	while (done < m->nburst && !m->failed) {
		enum fp_skip_reason r;

		if (done > 0 && m->records - before + m->per_packet_rows > budget)
			break;
		fp_flow_engine_packets(m->engine, &m->burst[done], 1, &r);
		count_results(m, &m->burst[done], &r, 1);
		done++;
	}
	memmove(m->burst, m->burst + done, (m->nburst - done) * sizeof(m->burst[0]));
	m->nburst -= done;
	return m->records - before;
}

int fp_meter_packet(struct fp_meter *m, const uint8_t *data, uint32_t caplen, uint32_t wirelen, int64_t ts_ns)
{
	enum fp_skip_reason r;

	m->decode.packets++;
	r = fp_decode(m->linktype, data, caplen, wirelen, ts_ns, &m->burst[m->nburst]);
	if (r != FP_DECODE_OK) {
		m->decode.skipped[r]++;
		return m->failed ? -1 : 0;
	}
	if (++m->nburst == FP_METER_PACKET_BURST)
		drain(m);
	return m->failed ? -1 : 0;
}

/* The packets are accounted where they lie, never copied into the queue:
 * the engine's results do not depend on how packets are grouped, and with
 * what fp_meter_packet() queued they are at most one burst, which is what
 * readiness has room for. */
int fp_meter_decoded(struct fp_meter *m, const struct fp_packet *pkts, size_t n)
{
	m->decode.packets += n;
	drain(m);	/* packets fp_meter_packet() queued come first */
	for (size_t done = 0; done < n; done += FP_METER_PACKET_BURST)
		account(m, pkts + done, n - done < FP_METER_PACKET_BURST ? n - done : FP_METER_PACKET_BURST);
	return m->failed ? -1 : 0;
}

void fp_meter_count_undecoded(struct fp_meter *m, const uint64_t skipped[FP_SKIP__COUNT])
{
	for (int r = 0; r < FP_SKIP__COUNT; r++) {
		m->decode.packets += skipped[r];
		m->decode.skipped[r] += skipped[r];
	}
}

/* The smallest budget a slice may have: one packet's worst case. */
static size_t slice_budget(const struct fp_meter *m, size_t max)
{
	if (max == 0)
		return 0;
	return max < m->per_packet_rows ? m->per_packet_rows : max;
}

/*
 * A slice of work for advance and finish: first the queued packets (they
 * are older than anything the clock moves to), then `engine_work` with
 * whatever is left of the budget (0 = no limit). Returns false when the
 * queue took the whole budget (or emitting failed): the caller's own work
 * waits for the next call.
 */
struct slice {
	size_t budget;		/* 0: no limit */
	uint64_t before;	/* records when the slice began */
	size_t left;		/* budget left for the engine's work (0: no limit) */
};

static bool slice_begin(struct fp_meter *m, size_t max, struct slice *sl)
{
	sl->budget = slice_budget(m, max);
	sl->before = m->records;
	drain_within(m, sl->budget);
	if (m->nburst > 0 || m->failed)
		return false;
	sl->left = sl->budget == 0 ? 0 : sl->budget - (size_t)(m->records - sl->before);
	return sl->budget == 0 || sl->left > 0;
}

long fp_meter_advance(struct fp_meter *m, int64_t now_ns, size_t max, bool *more)
{
	struct slice sl;

	*more = true;	/* unless the engine's advance finishes below */
	if (slice_begin(m, max, &sl))
		*more = fp_flow_engine_advance(m->engine, now_ns, sl.left) == sl.left && sl.left != 0;
	return m->failed ? -1 : (long)(m->records - sl.before);
}

int fp_meter_finish(struct fp_meter *m, size_t max, bool *more, struct fp_error *err)
{
	struct slice sl;

	if (slice_begin(m, max, &sl)) {
		if (sl.budget == 0)
			fp_flow_engine_flush(m->engine);	/* one walk, the fast way */
		else
			fp_flow_engine_flush_some(m->engine, sl.left);
	}
	*more = m->nburst > 0 || fp_flow_engine_stats(m->engine)->active_flows > 0;
	if (!*more && !m->failed && m->batch != NULL && m->batch->nrows > 0)
		emit_batch(m);
	if (m->failed) {
		*err = m->error;
		return -1;
	}
	return 0;
}

int fp_meter_reconfigure(struct fp_meter *m, const struct fp_flow_config *flow, struct fp_error *err)
{
	struct fp_flow_config next = *flow;

	next.extra_state_bytes = fp_flow_features_state_size(m->features);
	if (fp_flow_engine_reconfigure(m->engine, &next, err) < 0)
		return -1;
	m->per_packet_rows = next.expire_per_packet ? next.expire_per_packet + 2 : 0;
	return 0;
}

bool fp_meter_ready(const struct fp_meter *m)
{
	size_t room = m->batch != NULL ? m->batch->capacity - m->batch->nrows : 0;

	if (room >= fp_meter_max_rows_per_call(m))
		return true;
	/* the rest of this batch, then batches from the pool */
	return room + fp_batch_pool_available(m->pool) * m->batch_rows >= fp_meter_max_rows_per_call(m);
}

size_t fp_meter_packets_while_ready(const struct fp_meter *m)
{
	return FP_METER_PACKET_BURST - m->nburst;
}

void fp_meter_wait_ready(struct fp_meter *m)
{
	while (!fp_meter_ready(m)) {
		size_t have = fp_batch_pool_available(m->pool);

		fp_batch_pool_wait_more(m->pool, have);
		if (fp_batch_pool_available(m->pool) == have)
			break;	/* every batch is back and still not enough: waiting cannot help */
	}
}

size_t fp_meter_max_rows_per_call(const struct fp_meter *m)
{
	if (m->per_packet_rows == 0)
		return SIZE_MAX;
	return FP_METER_PACKET_BURST * m->per_packet_rows;
}

const struct fp_schema *fp_meter_schema(const struct fp_meter *m)
{
	return fp_flow_features_schema(m->features);
}

const struct fp_decode_stats *fp_meter_decode_stats(const struct fp_meter *m)
{
	return &m->decode;
}

const struct fp_flow_stats *fp_meter_flow_stats(const struct fp_meter *m)
{
	return fp_flow_engine_stats(m->engine);
}

uint64_t fp_meter_records(const struct fp_meter *m)
{
	return m->records;
}

uint64_t fp_meter_overdrawn(const struct fp_meter *m)
{
	return m->overdrawn;
}

bool fp_meter_failed(const struct fp_meter *m)
{
	return m->failed;
}

const struct fp_error *fp_meter_error(const struct fp_meter *m)
{
	return &m->error;
}
