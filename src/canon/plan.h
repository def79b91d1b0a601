/*
 * plan.h - the mapping of one input's columns onto the canonical schema,
 * decided once from the input's column names and used for every row.
 *
 * Each output column is one of:
 *   FIELD    a canonical field read from the input columns that match its
 *            aliases, in the schema's order of aliases: the first is read,
 *            the next ones fill its nulls (IPV4_SRC_ADDR, then
 *            IPV6_SRC_ADDR);
 *   DERIVED  a duration with no column of its own: end time minus start
 *            time (VPC start/end, nfdump ts/te, Suricata flow.start/end);
 *   DEFAULT  a field no column matches that says "when_missing" (bwd
 *            counters of a unidirectional export: 0);
 *   MISSING  a field no column matches that the user allowed to be null
 *            (--allow-missing); it becomes nullable in the output;
 *   PASS     a label column (or, with --keep-extra, any other column),
 *            copied unchanged with its own name and type.
 * The output schema is the canonical fields in schema order, then the
 * passed columns in input order.
 */
#ifndef FP_CANON_PLAN_H
#define FP_CANON_PLAN_H

#include <stdbool.h>
#include <stdio.h>

#include "canon/convert.h"
#include "canon/spec.h"
#include "canon/timestamp.h"
#include "lib/error.h"
#include "record/schema.h"

struct fp_canon_options {
	bool keep_extra;
	const char *allow_missing;	/* comma-separated canonical field names, or NULL */
	struct fp_canon_time_options time;
};

enum fp_canon_out_kind { FP_CANON_OUT_FIELD, FP_CANON_OUT_DERIVED, FP_CANON_OUT_DEFAULT, FP_CANON_OUT_MISSING,
			 FP_CANON_OUT_PASS };

/* The columns that feed one target, best first. */
struct fp_canon_sources {
	struct fp_canon_source *v;
	size_t n;
};

struct fp_canon_out {
	enum fp_canon_out_kind kind;
	const struct fp_canon_target *target;	/* all but PASS */
	struct fp_canon_sources src;		/* FIELD */
	size_t pass_col;			/* PASS */
};

struct fp_canon_plan {
	const struct fp_canon_spec *spec;	/* borrowed */
	const struct fp_schema *in;		/* borrowed: the input's schema */
	struct fp_schema *out;			/* the output schema */
	struct fp_canon_out *outs;		/* out->nfields entries */
	struct fp_canon_sources *target_src;	/* per spec target: its matching columns */
	int start_target, end_target;		/* DERIVED reads these targets (-1: none) */
	struct fp_canon_time_options time;
	struct fp_canon_value *scratch;		/* one row's values, for fp_canon_run() */
	bool *scratch_null;
};

/* Matches `in`'s columns. Fails, naming the fields and listing the input's
 * unmatched columns, when a required field has no column, no default and
 * is not allowed missing. `input_name` is for messages. */
struct fp_canon_plan *fp_canon_plan_new(const struct fp_canon_spec *spec, const struct fp_schema *in,
					const struct fp_canon_options *o, const char *input_name,
					struct fp_error *err);
void fp_canon_plan_free(struct fp_canon_plan *p);

/* --explain: one line per output column (source -> field, unit,
 * conversion), then the input columns dropped. */
void fp_canon_plan_explain(const struct fp_canon_plan *p, FILE *out);

/* The same output columns (names and types) as `b`? For several inputs
 * into one file. */
bool fp_canon_plan_same_output(const struct fp_canon_plan *a, const struct fp_canon_plan *b, char *why,
			       size_t why_size);

#endif
