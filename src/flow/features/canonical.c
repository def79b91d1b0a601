/*
 * canonical.c - the canonical feature set: the columns of
 * schemas/netflow/v1/schema.json, computed from the engine's own per-flow
 * counters (so it carries no state of its own).
 *
 * schema.json says which columns exist, in which order, with which types;
 * this file knows how to compute a field of a given name. bind() looks each
 * schema field up once and keeps a plan (one value kind per column), so the
 * per-flow path is a loop over prepared kinds. A field schema.json names but
 * flowprep cannot compute, or declares with a type its value does not have,
 * is an error at bind time.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "flow/feature-set.h"

enum canonical_value {
	CV_TIMESTAMP,		/* first packet, in the column's time unit */
	CV_SRC_IP,
	CV_DEST_IP,
	CV_SRC_PORT,
	CV_DEST_PORT,
	CV_FWD_BYTES,
	CV_BWD_BYTES,
	CV_FWD_PKTS,
	CV_BWD_PKTS,
	CV_FLOW_DUR,		/* seconds */
	CV_PROTOCOL,
};

/* What flowprep can compute, by field name, and the type it computes. */
static const struct {
	const char *name;
	enum canonical_value value;
	enum fp_type type;
} computable[] = {
	{ "timestamp", CV_TIMESTAMP, FP_TYPE_TIMESTAMP },
	{ "src_ip", CV_SRC_IP, FP_TYPE_STRING },
	{ "dest_ip", CV_DEST_IP, FP_TYPE_STRING },
	{ "src_port", CV_SRC_PORT, FP_TYPE_INT32 },
	{ "dest_port", CV_DEST_PORT, FP_TYPE_INT32 },
	{ "fwd_bytes", CV_FWD_BYTES, FP_TYPE_INT64 },
	{ "bwd_bytes", CV_BWD_BYTES, FP_TYPE_INT64 },
	{ "fwd_pkts", CV_FWD_PKTS, FP_TYPE_INT64 },
	{ "bwd_pkts", CV_BWD_PKTS, FP_TYPE_INT64 },
	{ "flow_dur", CV_FLOW_DUR, FP_TYPE_DOUBLE },
	{ "protocol", CV_PROTOCOL, FP_TYPE_INT32 },
};

static int canonical_bind(const struct fp_field *fields, size_t nfields, void **plan, struct fp_error *err)
{
	enum canonical_value *values = calloc(nfields ? nfields : 1, sizeof(*values));

	if (values == NULL)
		return fp_error_set(err, "out of memory");
	for (size_t i = 0; i < nfields; i++) {
		size_t k = 0;

		while (k < sizeof(computable) / sizeof(computable[0]) && strcmp(computable[k].name, fields[i].name) != 0)
			k++;
		if (k == sizeof(computable) / sizeof(computable[0]) || computable[k].type != fields[i].type) {
			free(values);
			return fp_error_set(err, "field '%s' (%s) is not a flow value flowprep computes", fields[i].name,
					    fp_type_name(fields[i].type));
		}
		values[i] = computable[k].value;
	}
	*plan = values;
	return 0;
}

static void canonical_unbind(void *plan)
{
	free(plan);
}

/* Floor division, so times before 1970 still round toward -infinity. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t timestamp_in_unit(int64_t ns, enum fp_time_unit unit)
{
	switch (unit) {
	case FP_UNIT_MILLIS: return floor_div(ns, 1000000);
	case FP_UNIT_MICROS: return floor_div(ns, 1000);
	case FP_UNIT_NANOS: return ns;
	}
	return ns;
}

static int canonical_append(const void *plan, const struct fp_feature_row *row, const struct fp_flow *flow,
			    const void *state, enum fp_flow_end why)
{
	const enum canonical_value *values = plan;
	struct fp_batch *b = row->batch;

	(void)state;
	(void)why;
	for (size_t i = 0; i < row->nfields; i++) {
		size_t col = row->first + i;

		switch (values[i]) {
		case CV_TIMESTAMP:
			fp_batch_put_i64(b, col, timestamp_in_unit(flow->first_ns, row->fields[i].time_unit));
			break;
		case CV_SRC_IP:
			if (fp_feature_put_address(b, col, fp_flow_src_addr(flow), flow->key.ip_version) < 0)
				return -1;
			break;
		case CV_DEST_IP:
			if (fp_feature_put_address(b, col, fp_flow_dst_addr(flow), flow->key.ip_version) < 0)
				return -1;
			break;
		case CV_SRC_PORT: fp_batch_put_i32(b, col, fp_flow_src_port(flow)); break;
		case CV_DEST_PORT: fp_batch_put_i32(b, col, fp_flow_dst_port(flow)); break;
		case CV_FWD_BYTES: fp_batch_put_i64(b, col, (int64_t)flow->bytes[FP_DIR_FWD]); break;
		case CV_BWD_BYTES: fp_batch_put_i64(b, col, (int64_t)flow->bytes[FP_DIR_BWD]); break;
		case CV_FWD_PKTS: fp_batch_put_i64(b, col, (int64_t)flow->pkts[FP_DIR_FWD]); break;
		case CV_BWD_PKTS: fp_batch_put_i64(b, col, (int64_t)flow->pkts[FP_DIR_BWD]); break;
		case CV_FLOW_DUR: fp_batch_put_f64(b, col, (double)(flow->last_ns - flow->first_ns) / 1e9); break;
		case CV_PROTOCOL: fp_batch_put_i32(b, col, flow->key.proto); break;
		}
	}
	return 0;
}

const struct fp_feature_set fp_features_canonical = {
	.name = "canonical",
	.description = "the fields of schemas/netflow/v1/schema.json",
	.state_size = 0,
	.fields = NULL,		/* given at bind time, from schema.json */
	.nfields = 0,
	.bind = canonical_bind,
	.unbind = canonical_unbind,
	.append = canonical_append,
};
