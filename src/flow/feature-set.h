/*
 * feature-set.h - what a feature set is: per-flow state the engine carries,
 * hooks that update it, and the columns it adds to a flow's record.
 *
 * A flow's record is made of the canonical columns (schemas/netflow/v1/
 * schema.json; the `canonical` set computes them) followed by the columns
 * of at most one richer set (extended, cic...). The sets never see each
 * other: each owns a slice of the flow's extra state (fp_flow_extra(),
 * zeroed when the flow starts) and a contiguous run of the record's
 * columns. flow-features.h stacks the active sets and builds the record
 * schema from them, so a set's field table is the one description of its
 * columns: CSV, Parquet, JSON and Kafka all derive theirs from it.
 *
 * Invariants a set keeps:
 *   - its state is fixed-size (O(1) in packets) and needs no freeing: the
 *     engine reuses a flow's memory right after the record is made;
 *   - hooks never call back into the engine and never keep pointers to the
 *     packet (its bytes are reused at once);
 *   - `append` sets each of its columns exactly once, in field order, and
 *     returns -1 only when memory runs out.
 *
 * Two things a set may ask of the meter, because its definitions depend on
 * them (both say so in docs/features.md):
 *   - own_record: the record is the set's columns alone, without the
 *     canonical ones in front. For sets that reproduce another tool's CSV
 *     (cic, pcapflower, cic2017): a model reads those columns by their
 *     names (src_ip, timestamp, protocol...), which the canonical columns
 *     would duplicate with other types;
 *   - flow_config: the flow settings its columns are defined with, applied
 *     over the user's before the engine is made (cic: TCP flows end at FIN
 *     both ways or RST; pcapflower: at the first FIN or RST, after 120 s
 *     idle, never on age). The set's word wins: its columns mean what its
 *     documentation says whatever the options.
 */
#ifndef FP_FLOW_FEATURE_SET_H
#define FP_FLOW_FEATURE_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "decode/packet.h"
#include "flow/flow.h"
#include "lib/error.h"
#include "lib/ip-text.h"
#include "record/batch.h"
#include "record/schema.h"

/* One output column of a set. */
struct fp_feature_field {
	const char *name;
	enum fp_type type;
	enum fp_time_unit time_unit;	/* FP_TYPE_TIMESTAMP only */
	bool nullable;
	const char *unit;		/* "s", "bytes", "packets"... or NULL */
	const char *description;
};

/* Where a set's values go: the batch row being built, from column `first`. */
struct fp_feature_row {
	struct fp_batch *batch;
	size_t first;			/* the set's first column */
	size_t nfields;			/* its number of columns */
	const struct fp_field *fields;	/* their schema fields (batch->schema->fields + first) */
};

struct fp_flow_config;

struct fp_feature_set {
	const char *name;
	const char *description;
	size_t state_size;		/* bytes per flow, at most 2048 */
	bool own_record;		/* the record is this set's columns alone (see above) */

	/* Optional: sets the flow settings the set's columns are defined with
	 * (see above); leaves the others as the user gave them. */
	void (*flow_config)(struct fp_flow_config *cfg);

	/* The set's columns. A set whose columns are described elsewhere (the
	 * canonical set: schema.json) has fields == NULL and is given them at
	 * bind time instead. */
	const struct fp_feature_field *fields;
	size_t nfields;

	/* Optional: checks the columns it was given and prepares how to fill
	 * them (`*plan`, freed with unbind). A field it cannot compute is an
	 * error here, never a silently empty column. */
	int (*bind)(const struct fp_field *fields, size_t nfields, void **plan, struct fp_error *err);
	void (*unbind)(void *plan);

	/* Optional hooks. init: the flow's first packet (after the engine has
	 * applied it); packet: every later packet, IP fragments included
	 * (p->has_transport false); end: once, before the row is made. */
	void (*init)(void *state, const struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir);
	void (*packet)(void *state, const struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir);
	void (*end)(void *state, const struct fp_flow *flow, enum fp_flow_end why);

	/* Puts the set's values for `flow` into row->batch's current row. */
	int (*append)(const void *plan, const struct fp_feature_row *row, const struct fp_flow *flow,
		      const void *state, enum fp_flow_end why);
};

/* The canonical set (flow/features/canonical.c): the fields of
 * schemas/netflow/v1/schema.json, computed from the engine's own counters. */
extern const struct fp_feature_set fp_features_canonical;

/* The richer sets (flow/features/<name>.c; docs/features.md). */
extern const struct fp_feature_set fp_features_extended;
extern const struct fp_feature_set fp_features_cic;
extern const struct fp_feature_set fp_features_pcapflower;
extern const struct fp_feature_set fp_features_cic2017;

/* The richer sets by name ("canonical" included), or NULL. */
const struct fp_feature_set *fp_feature_set_find(const char *name);
/* Their names, for messages: "canonical, extended, ..." into buf. */
const char *fp_feature_set_names(char *buf, size_t size);

/* Puts an address's text (lib/ip-text.h) as column `col` of the row being
 * built, formatted straight into the batch; -1 without memory. */
static inline int fp_feature_put_address(struct fp_batch *b, size_t col, const uint8_t *addr, int ip_version)
{
	char *text = fp_batch_reserve_bytes(b, col, FP_IP_TEXT_MAX);

	if (text == NULL)
		return -1;
	fp_batch_commit_bytes(b, col, fp_ip_text(addr, ip_version, text));
	return 0;
}

#endif
