/*
 * flow-features.h - the feature sets active on a meter's flows, stacked:
 * canonical first, then at most one richer set.
 *
 * It is the flow side of the flow -> record seam. From the canonical schema
 * (schema.json) and the extra set's field table it builds the record
 * schema (a set with own_record stands alone: its columns are the record); it lays the sets' per-flow states out one after the other in the
 * flow's extra state (each 8-byte aligned); it gives the engine the hooks
 * that keep those states; and it turns an ended flow into one batch row.
 * The record stage knows nothing of flows.
 */
#ifndef FP_FLOW_FLOW_FEATURES_H
#define FP_FLOW_FLOW_FEATURES_H

#include <stddef.h>

#include "flow/feature-set.h"
#include "flow/flow-engine.h"
#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

struct fp_flow_features;

/* `canonical` is the canonical schema (borrowed while this call runs: its
 * fields are copied into the record schema); `extra` a richer set or NULL. */
struct fp_flow_features *fp_flow_features_new(const struct fp_schema *canonical, const struct fp_feature_set *extra,
					      struct fp_error *err);
void fp_flow_features_free(struct fp_flow_features *ff);

/* The record schema: canonical fields, then the extra set's (the extra
 * set's alone when it has own_record). Owned by ff. */
const struct fp_schema *fp_flow_features_schema(const struct fp_flow_features *ff);

/* Applies the stacked sets' flow settings (fp_feature_set.flow_config)
 * over `cfg`; the meter calls it before making its engine. */
void fp_flow_features_flow_config(const struct fp_flow_features *ff, struct fp_flow_config *cfg);

/* Per-flow bytes the sets need (the engine's extra_state_bytes). */
size_t fp_flow_features_state_size(const struct fp_flow_features *ff);

/* Hooks for fp_flow_engine_set_hooks(); all NULL when no set keeps state,
 * so the canonical-only path costs nothing per packet. */
void fp_flow_features_hooks(const struct fp_flow_features *ff, struct fp_flow_hooks *hooks);

/* Runs the sets' end hooks and appends the flow as the next row of `b`
 * (which must not be full, and must be of the record schema). Returns -1
 * only when memory runs out (the row is then incomplete: drop the batch). */
int fp_flow_features_append(const struct fp_flow_features *ff, struct fp_batch *b, struct fp_flow *flow,
			    enum fp_flow_end why);

#endif
