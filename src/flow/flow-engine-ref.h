/*
 * flow-engine-ref.h - slow reference paths of the flow engine, for tests.
 *
 * Where the engine takes a shortcut, the plain way of doing the same thing
 * is kept here so that tests can check that the shortcut changes nothing.
 * Not for production use: it is slower and otherwise identical.
 */
#ifndef FP_FLOW_FLOW_ENGINE_REF_H
#define FP_FLOW_FLOW_ENGINE_REF_H

#include "flow/flow-engine.h"
#include "flow/flow-table.h"

/* fp_flow_engine_flush() the plain way: each flow is ended like any other
 * (unlinked, exported, deleted from the table one by one). Same records,
 * order, reasons, statistics and table state afterwards. */
void fp_flow_engine_flush_each(struct fp_flow_engine *e);

/* The engine's table, to look at (e.g. fp_flow_table_max_probe()). */
const struct fp_flow_table *fp_flow_engine_table(const struct fp_flow_engine *e);

#endif
