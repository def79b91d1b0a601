/*
 * canonicalize.c - the row loop (canonicalize.h).
 *
 * Each row is converted into the plan's scratch values first and written
 * to the output batch only when every required field has a value, so a
 * rejected row leaves nothing behind (the batch API appends strings and
 * cannot take a half-built row back).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "canon/canonicalize.h"
#include "lib/number-text.h"

/* The input cell as text, for the report. */
static const char *cell_text(const struct fp_column *c, size_t row, char *buf, size_t *len)
{
	if (!fp_column_is_valid(c, row)) {
		*len = 0;
		return NULL;
	}
	switch (c->type) {
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY: return fp_column_bytes(c, row, len);
	case FP_TYPE_DOUBLE: *len = fp_double_to_text(buf, c->v.f64[row]); return buf;
	case FP_TYPE_INT32: *len = fp_i64_to_text(buf, c->v.i32[row]); return buf;
	case FP_TYPE_BOOL: *len = fp_i64_to_text(buf, c->v.b[row]); return buf;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP: *len = fp_i64_to_text(buf, c->v.i64[row]); return buf;
	}
	*len = 0;
	return NULL;
}

static const char no_value[] = "has no value";

/* A failed cell: where it was and why. */
struct failure {
	const char *why;
	const struct fp_canon_source *src;	/* NULL: no column had a value */
};

/* The first non-null value of target t's columns. */
static enum fp_canon_result read_target(const struct fp_canon_plan *p, size_t t, const struct fp_batch *in,
					size_t row, struct fp_canon_value *v, struct failure *f)
{
	const struct fp_canon_sources *ss = &p->target_src[t];

	for (size_t k = 0; k < ss->n; k++) {
		const struct fp_canon_source *s = &ss->v[k];
		enum fp_canon_result r = s->fast != FP_CANON_FAST_NONE ?
			fp_canon_convert_fast(s, &in->cols[s->col], row, v, &f->why) :
			fp_canon_convert(&p->spec->targets[t], s, &in->cols[s->col], row, &p->time, v, &f->why);
		if (r == FP_CANON_BAD)
			f->src = &ss->v[k];
		if (r != FP_CANON_NULL)
			return r;
	}
	f->why = no_value;
	f->src = ss->n ? &ss->v[0] : NULL;
	return FP_CANON_NULL;
}

static enum fp_canon_result derive_duration(const struct fp_canon_plan *p, const struct fp_batch *in, size_t row,
					    struct fp_canon_value *v, struct failure *f)
{
	struct fp_canon_value start, end;
	enum fp_canon_result r = read_target(p, (size_t)p->end_target, in, row, &end, f);

	if (r == FP_CANON_VALUE)
		r = read_target(p, (size_t)p->start_target, in, row, &start, f);
	if (r != FP_CANON_VALUE)
		return FP_CANON_BAD;
	if (end.i < start.i) {
		f->why = "is before the flow's start";
		f->src = &p->target_src[p->end_target].v[0];
		return FP_CANON_BAD;
	}
	v->f = (double)(end.i - start.i) / 1e6;
	return FP_CANON_VALUE;
}

static enum fp_canon_result compute(const struct fp_canon_plan *p, const struct fp_canon_out *o,
				    const struct fp_batch *in, size_t row, struct fp_canon_value *v, struct failure *f)
{
	switch (o->kind) {
	case FP_CANON_OUT_FIELD: return read_target(p, (size_t)(o->target - p->spec->targets), in, row, v, f);
	case FP_CANON_OUT_DERIVED: return derive_duration(p, in, row, v, f);
	case FP_CANON_OUT_DEFAULT:
		v->i = o->target->default_value;
		v->f = (double)o->target->default_value;
		return FP_CANON_VALUE;
	case FP_CANON_OUT_MISSING: return FP_CANON_NULL;
	case FP_CANON_OUT_PASS: return FP_CANON_VALUE;	/* copied when written */
	}
	return FP_CANON_NULL;
}

static void report_failure(struct fp_canon_report *rep, const struct fp_canon_plan *p, const char *field,
			   const struct failure *f, bool rejected, const struct fp_batch *in, size_t row,
			   uint64_t row_no)
{
	char buf[FP_NUMBER_TEXT_MAX];
	size_t len = 0;
	const char *text = NULL, *column = "";

	if (f->src != NULL) {
		column = p->in->fields[f->src->col].name;
		if (f->why != no_value)	/* "-" or "" would say nothing more */
			text = cell_text(&in->cols[f->src->col], row, buf, &len);
	}
	fp_canon_report_cell(rep, field, column, f->why, rejected, row_no, text, len);
}

/* Fills the scratch row; false when the row is rejected. */
static bool convert_row(struct fp_canon_plan *p, const struct fp_batch *in, size_t row, uint64_t row_no,
			struct fp_canon_report *rep)
{
	for (size_t i = 0; i < p->out->nfields; i++) {
		const struct fp_field *field = &p->out->fields[i];
		struct failure f = { NULL, NULL };
		enum fp_canon_result r = compute(p, &p->outs[i], in, row, &p->scratch[i], &f);

		p->scratch_null[i] = r != FP_CANON_VALUE;
		if (r == FP_CANON_VALUE || (r == FP_CANON_NULL && field->nullable))
			continue;
		report_failure(rep, p, field->name, &f, !field->nullable, in, row, row_no);
		if (!field->nullable)
			return false;
	}
	return true;
}

static int copy_cell(struct fp_batch *out, size_t i, const struct fp_column *c, size_t row)
{
	size_t len;
	const char *s;

	if (!fp_column_is_valid(c, row)) {
		fp_batch_put_null(out, i);
		return 0;
	}
	switch (c->type) {
	case FP_TYPE_BOOL: fp_batch_put_bool(out, i, c->v.b[row]); return 0;
	case FP_TYPE_INT32: fp_batch_put_i32(out, i, c->v.i32[row]); return 0;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP: fp_batch_put_i64(out, i, c->v.i64[row]); return 0;
	case FP_TYPE_DOUBLE: fp_batch_put_f64(out, i, c->v.f64[row]); return 0;
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY:
		s = fp_column_bytes(c, row, &len);
		return fp_batch_put_bytes(out, i, s, len);
	}
	return 0;
}

static int put_value(struct fp_batch *out, size_t i, const struct fp_canon_value *v)
{
	switch (out->schema->fields[i].type) {
	case FP_TYPE_BOOL: fp_batch_put_bool(out, i, v->i != 0); return 0;
	case FP_TYPE_INT32: fp_batch_put_i32(out, i, (int32_t)v->i); return 0;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP: fp_batch_put_i64(out, i, v->i); return 0;
	case FP_TYPE_DOUBLE: fp_batch_put_f64(out, i, v->f); return 0;
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY: return fp_batch_put_bytes(out, i, v->p, v->len);
	}
	return 0;
}

static int write_row(const struct fp_canon_plan *p, const struct fp_batch *in, size_t row, struct fp_batch *out)
{
	for (size_t i = 0; i < p->out->nfields; i++) {
		int rc;
		if (p->outs[i].kind == FP_CANON_OUT_PASS)
			rc = copy_cell(out, i, &in->cols[p->outs[i].pass_col], row);
		else if (p->scratch_null[i])
			rc = (fp_batch_put_null(out, i), 0);
		else
			rc = put_value(out, i, &p->scratch[i]);
		if (rc < 0)
			return -1;
	}
	fp_batch_end_row(out);
	return 0;
}

long fp_canon_run(struct fp_canon_plan *p, const struct fp_batch *in, uint64_t first_row, struct fp_batch *out,
		  struct fp_canon_report *rep, struct fp_error *err)
{
	fp_batch_clear(out);
	if (out->capacity < in->nrows)
		return fp_error_set(err, "canonicalize: an output batch of %zu rows for %zu input rows", out->capacity,
				    in->nrows);
	for (size_t row = 0; row < in->nrows; row++) {
		rep->rows_in++;
		if (!convert_row(p, in, row, first_row + row + 1, rep)) {
			rep->rows_rejected++;
			continue;
		}
		if (write_row(p, in, row, out) < 0)
			return fp_error_set(err, "canonicalize: out of memory at row %" PRIu64, first_row + row + 1);
		rep->rows_out++;
	}
	return (long)out->nrows;
}
