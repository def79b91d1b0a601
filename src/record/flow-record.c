/*
 * flow-record.c - canonical fields computed from a flow (see flow-record.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "record/flow-record.h"

struct value_binding {
	const char *name;
	enum fp_flow_value value;
	enum fp_type type;
};

/* The canonical fields and the in-memory type each one is computed as. */
static const struct value_binding bindings[] = {
	{ "timestamp", FP_FV_TIMESTAMP, FP_TYPE_TIMESTAMP },
	{ "src_ip", FP_FV_SRC_IP, FP_TYPE_STRING },
	{ "dest_ip", FP_FV_DEST_IP, FP_TYPE_STRING },
	{ "src_port", FP_FV_SRC_PORT, FP_TYPE_INT32 },
	{ "dest_port", FP_FV_DEST_PORT, FP_TYPE_INT32 },
	{ "fwd_bytes", FP_FV_FWD_BYTES, FP_TYPE_INT64 },
	{ "bwd_bytes", FP_FV_BWD_BYTES, FP_TYPE_INT64 },
	{ "fwd_pkts", FP_FV_FWD_PKTS, FP_TYPE_INT64 },
	{ "bwd_pkts", FP_FV_BWD_PKTS, FP_TYPE_INT64 },
	{ "flow_dur", FP_FV_FLOW_DUR, FP_TYPE_DOUBLE },
	{ "protocol", FP_FV_PROTOCOL, FP_TYPE_INT32 },
};

int fp_flow_recorder_init(struct fp_flow_recorder *r, const struct fp_schema *schema, struct fp_error *err)
{
	r->schema = schema;
	r->values = calloc(schema->nfields ? schema->nfields : 1, sizeof(*r->values));
	if (r->values == NULL)
		return fp_error_set(err, "out of memory");
	for (size_t i = 0; i < schema->nfields; i++) {
		const struct fp_field *f = &schema->fields[i];
		const struct value_binding *vb = NULL;

		for (size_t k = 0; k < sizeof(bindings) / sizeof(bindings[0]); k++)
			if (strcmp(bindings[k].name, f->name) == 0)
				vb = &bindings[k];
		if (vb == NULL || vb->type != f->type) {
			fp_flow_recorder_fini(r);
			return fp_error_set(err, "schema %s/%s: field '%s' (%s) is not a flow value flowprep computes",
					    schema->name, schema->version, f->name, fp_type_name(f->type));
		}
		r->values[i] = vb->value;
	}
	return 0;
}

void fp_flow_recorder_fini(struct fp_flow_recorder *r)
{
	free(r->values);
	r->values = NULL;
}

static size_t put_decimal(char *p, unsigned v)
{
	if (v >= 100) {
		p[0] = (char)('0' + v / 100);
		p[1] = (char)('0' + v / 10 % 10);
		p[2] = (char)('0' + v % 10);
		return 3;
	}
	if (v >= 10) {
		p[0] = (char)('0' + v / 10);
		p[1] = (char)('0' + v % 10);
		return 2;
	}
	p[0] = (char)('0' + v);
	return 1;
}

size_t fp_format_ip(const uint8_t *addr, int ip_version, char *buf)
{
	size_t n = 0;

	if (ip_version == 4) {
		for (int i = 0; i < 4; i++) {
			if (i)
				buf[n++] = '.';
			n += put_decimal(buf + n, addr[i]);
		}
		buf[n] = '\0';
		return n;
	}
	if (inet_ntop(AF_INET6, addr, buf, 46) == NULL)
		buf[0] = '\0';
	return strlen(buf);
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

int fp_flow_recorder_append(const struct fp_flow_recorder *r, struct fp_batch *b, const struct fp_flow *flow)
{
	char ip[64];
	size_t len;

	for (size_t i = 0; i < r->schema->nfields; i++) {
		switch (r->values[i]) {
		case FP_FV_TIMESTAMP:
			fp_batch_put_i64(b, i, timestamp_in_unit(flow->first_ns, r->schema->fields[i].time_unit));
			break;
		case FP_FV_SRC_IP:
		case FP_FV_DEST_IP:
			len = fp_format_ip(r->values[i] == FP_FV_SRC_IP ? fp_flow_src_addr(flow) : fp_flow_dst_addr(flow),
					   flow->key.ip_version, ip);
			if (fp_batch_put_bytes(b, i, ip, len) < 0)
				return -1;
			break;
		case FP_FV_SRC_PORT: fp_batch_put_i32(b, i, fp_flow_src_port(flow)); break;
		case FP_FV_DEST_PORT: fp_batch_put_i32(b, i, fp_flow_dst_port(flow)); break;
		case FP_FV_FWD_BYTES: fp_batch_put_i64(b, i, (int64_t)flow->bytes[FP_DIR_FWD]); break;
		case FP_FV_BWD_BYTES: fp_batch_put_i64(b, i, (int64_t)flow->bytes[FP_DIR_BWD]); break;
		case FP_FV_FWD_PKTS: fp_batch_put_i64(b, i, (int64_t)flow->pkts[FP_DIR_FWD]); break;
		case FP_FV_BWD_PKTS: fp_batch_put_i64(b, i, (int64_t)flow->pkts[FP_DIR_BWD]); break;
		case FP_FV_FLOW_DUR: fp_batch_put_f64(b, i, (double)(flow->last_ns - flow->first_ns) / 1e9); break;
		case FP_FV_PROTOCOL: fp_batch_put_i32(b, i, flow->key.proto); break;
		case FP_FV__COUNT: break;
		}
	}
	fp_batch_end_row(b);
	return 0;
}
