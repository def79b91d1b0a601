/*
 * flow-record.h - a finished flow as a row of a record batch.
 *
 * The schema says which columns exist; this module knows how to compute
 * each canonical field from a struct fp_flow and binds schema columns to
 * those computations once, at set-up, so the per-flow path is a loop over
 * prepared column kinds. A schema field with no flow value is an error at
 * set-up, not a silent empty column.
 */
#ifndef FP_RECORD_FLOW_RECORD_H
#define FP_RECORD_FLOW_RECORD_H

#include "flow/flow.h"
#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

enum fp_flow_value {
	FP_FV_TIMESTAMP,	/* first packet, in the column's time unit */
	FP_FV_SRC_IP,
	FP_FV_DEST_IP,
	FP_FV_SRC_PORT,
	FP_FV_DEST_PORT,
	FP_FV_FWD_BYTES,
	FP_FV_BWD_BYTES,
	FP_FV_FWD_PKTS,
	FP_FV_BWD_PKTS,
	FP_FV_FLOW_DUR,		/* seconds */
	FP_FV_PROTOCOL,
	FP_FV__COUNT
};

struct fp_flow_recorder {
	const struct fp_schema *schema;
	enum fp_flow_value *values;	/* one per schema field */
};

int fp_flow_recorder_init(struct fp_flow_recorder *r, const struct fp_schema *schema, struct fp_error *err);
void fp_flow_recorder_fini(struct fp_flow_recorder *r);

/* Appends `flow` as the next row of `b` (which must not be full). */
int fp_flow_recorder_append(const struct fp_flow_recorder *r, struct fp_batch *b, const struct fp_flow *flow);

/* Text form of an address (IPv4 dotted quad / RFC 5952 IPv6) into buf
 * (at least 46 bytes); returns its length. */
size_t fp_format_ip(const uint8_t *addr, int ip_version, char *buf);

#endif
