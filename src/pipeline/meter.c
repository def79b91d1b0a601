/*
 * meter.c - decode -> flow engine -> flow records -> batches (see meter.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline/meter.h"

/* The flow engine's export callback: one finished flow becomes one row. */
static void meter_export(void *ctx, struct fp_flow *flow, enum fp_flow_end why)
{
	struct fp_meter *m = ctx;

	(void)why;
	if (m->failed)
		return;
	if (fp_flow_recorder_append(&m->recorder, m->batch, flow) < 0) {
		fp_error_set(&m->error, "out of memory formatting a flow record");
		m->failed = 1;
		return;
	}
	m->records++;
	if (fp_batch_full(m->batch)) {
		if (m->emit(m->emit_ctx, m->batch, &m->error) < 0)
			m->failed = 1;
		fp_batch_clear(m->batch);
	}
}

struct fp_meter *fp_meter_new(const struct fp_flow_config *cfg, const struct fp_schema *schema, size_t batch_rows,
			      fp_meter_emit_fn emit, void *emit_ctx, struct fp_error *err)
{
	struct fp_meter *m = calloc(1, sizeof(*m));

	if (m == NULL) {
		fp_error_set(err, "out of memory");
		return NULL;
	}
	m->emit = emit;
	m->emit_ctx = emit_ctx;
	if (fp_flow_recorder_init(&m->recorder, schema, err) < 0) {
		free(m);
		return NULL;
	}
	m->batch = fp_batch_new(schema, batch_rows ? batch_rows : FP_METER_DEFAULT_BATCH_ROWS);
	m->engine = m->batch ? fp_flow_engine_new(cfg, meter_export, m, err) : NULL;
	if (m->engine == NULL) {
		if (m->batch == NULL)
			fp_error_set(err, "out of memory");
		fp_meter_free(m);
		return NULL;
	}
	return m;
}

void fp_meter_free(struct fp_meter *m)
{
	if (m == NULL)
		return;
	fp_flow_engine_free(m->engine);
	fp_batch_free(m->batch);
	fp_flow_recorder_fini(&m->recorder);
	free(m);
}

/* Accounts the queued packets in the flow engine. */
static void meter_drain(struct fp_meter *m)
{
	enum fp_skip_reason results[FP_METER_PACKET_BURST];

	if (m->nburst == 0)
		return;
	fp_flow_engine_packets(m->engine, m->burst, m->nburst, results);
	for (size_t i = 0; i < m->nburst; i++) {
		if (results[i] == FP_DECODE_OK)
			fp_decode_stats_count_ok(&m->decode, &m->burst[i]);
		else
			m->decode.skipped[results[i]]++;
	}
	m->nburst = 0;
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
		meter_drain(m);
	return m->failed ? -1 : 0;
}

int fp_meter_advance(struct fp_meter *m, int64_t now_ns, size_t max_flows)
{
	meter_drain(m);
	fp_flow_engine_advance(m->engine, now_ns, max_flows);
	return m->failed ? -1 : 0;
}

int fp_meter_finish(struct fp_meter *m, struct fp_error *err)
{
	meter_drain(m);
	fp_flow_engine_flush(m->engine);
	if (!m->failed && m->batch->nrows > 0) {
		if (m->emit(m->emit_ctx, m->batch, &m->error) < 0)
			m->failed = 1;
		fp_batch_clear(m->batch);
	}
	if (m->failed) {
		*err = m->error;
		return -1;
	}
	return 0;
}
