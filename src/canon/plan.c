/*
 * plan.c - deciding, from column names alone, where each canonical field
 * comes from (plan.h).
 *
 * Invariant: every input column has exactly one role: a source of one
 * target, a passed column (label, or extra under --keep-extra), or
 * dropped. A required field the plan cannot fill is an error here, before
 * any row is read, never a column of nulls.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "canon/plan.h"
#include "canon/resolve.h"

/* A message built piece by piece that stops, with "...", when full. */
struct msg {
	char *buf;
	size_t size, len;
};

static void msg_add(struct msg *m, const char *fmt, ...) FP_PRINTF(2, 3);
static void msg_add(struct msg *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->len + 4 >= m->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->len, m->size - m->len, fmt, ap);
	va_end(ap);
	if (n < 0 || m->len + (size_t)n + 4 >= m->size) {
		strcpy(m->buf + m->size - 4, "...");
		m->len = m->size;
		return;
	}
	m->len += (size_t)n;
}

/* ------------------------------------------------------------ sources */

static enum fp_canon_unit source_unit(const struct fp_canon_target *t, const char *column, size_t alias,
				      const char **from)
{
	enum fp_canon_unit u = fp_canon_unit_from_name(column);
	const char *au = t->field->aliases[alias].unit;

	*from = "name";
	if (u != FP_CANON_UNIT_NONE)
		return u;
	*from = "alias";
	if (au != NULL)
		return fp_canon_unit_parse(au, strlen(au));
	if (t->format == FP_CANON_TIME) {
		*from = "magnitude";
		return FP_CANON_UNIT_NONE;
	}
	*from = "field";
	return t->unit;
}

/* Inserted by alias priority; equal priorities keep input order. */
static int add_source(struct fp_canon_sources *ss, const struct fp_canon_target *t, const struct fp_schema *in,
		      size_t col, size_t alias)
{
	struct fp_canon_source *v = realloc(ss->v, (ss->n + 1) * sizeof(*v));
	size_t at = ss->n;

	if (v == NULL)
		return -1;
	ss->v = v;
	while (at > 0 && v[at - 1].alias > alias) {
		v[at] = v[at - 1];
		at--;
	}
	v[at].col = col;
	v[at].field = &in->fields[col];
	v[at].alias = alias;
	v[at].unit = source_unit(t, in->fields[col].name, alias, &v[at].unit_from);
	fp_canon_source_prepare(t, &v[at]);
	ss->n++;
	return 0;
}

enum role { ROLE_DROP, ROLE_SOURCE, ROLE_LABEL };

static int match_columns(struct fp_canon_plan *p, enum role *role, struct fp_error *err)
{
	for (size_t c = 0; c < p->in->nfields; c++) {
		struct fp_canon_match m;
		char *key = fp_canon_key(p->in->fields[c].name);

		if (key == NULL)
			return fp_error_set(err, "out of memory");
		fp_canon_match_key(p->spec, key, &m);
		free(key);
		role[c] = m.target >= 0 ? ROLE_SOURCE : m.label >= 0 ? ROLE_LABEL : ROLE_DROP;
		if (m.target >= 0 &&
		    add_source(&p->target_src[m.target], &p->spec->targets[m.target], p->in, c, m.alias) < 0)
			return fp_error_set(err, "out of memory");
	}
	return 0;
}

/* ------------------------------------------------------------ --allow-missing */

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

static int check_allow_missing(const struct fp_canon_spec *spec, const char *list, struct fp_error *err)
{
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		bool known = false;

		for (size_t i = 0; i < spec->fields->nfields; i++)
			known |= strlen(spec->fields->fields[i].name) == len &&
				 strncmp(spec->fields->fields[i].name, p, len) == 0;
		if (!known)
			return fp_error_set(err, "--allow-missing: '%.*s' is not a canonical field", (int)len, p);
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

/* ------------------------------------------------------------ output columns */

/* The first target of `format` with columns, among outputs or inputs. */
static int first_with_columns(const struct fp_canon_plan *p, enum fp_canon_format format, bool output)
{
	for (size_t t = 0; t < p->spec->ntargets; t++)
		if (p->spec->targets[t].format == format && p->spec->targets[t].output == output &&
		    p->target_src[t].n > 0)
			return (int)t;
	return -1;
}

static enum fp_canon_out_kind choose_kind(const struct fp_canon_plan *p, size_t t, const struct fp_canon_options *o,
					  bool *unmet)
{
	const struct fp_canon_target *tg = &p->spec->targets[t];

	*unmet = false;
	if (p->target_src[t].n > 0)
		return FP_CANON_OUT_FIELD;
	if (tg->format == FP_CANON_DURATION && p->start_target >= 0 && p->end_target >= 0)
		return FP_CANON_OUT_DERIVED;
	if (tg->has_default)
		return FP_CANON_OUT_DEFAULT;
	*unmet = !tg->field->nullable && !in_list(o->allow_missing, tg->field->name);
	return FP_CANON_OUT_MISSING;
}

static struct fp_field *add_out_field(struct fp_canon_plan *p, const struct fp_field *f, bool nullable)
{
	char *name = strdup(f->name);
	struct fp_field *g = NULL;

	/* a passed column named like an earlier output column gets "_in" */
	while (name && fp_schema_find(p->out, name) >= 0) {
		char *longer = malloc(strlen(name) + 4);
		if (longer)
			sprintf(longer, "%s_in", name);
		free(name);
		name = longer;
	}
	if (name && (g = fp_schema_add(p->out, name, f->type, nullable)) != NULL) {
		g->time_unit = f->time_unit;
		g->time_utc = f->time_utc;
		g->unit = f->unit ? strdup(f->unit) : NULL;
		g->description = f->description ? strdup(f->description) : NULL;
	}
	free(name);
	return g;
}

static int unmet_error(const struct fp_canon_plan *p, const char *input_name, const bool *unmet,
		       const enum role *role, struct fp_error *err)
{
	char buf[FP_ERROR_MAX];
	struct msg m = { buf, sizeof(buf), 0 };
	const char *sep = "";

	msg_add(&m, "%s: no column for canonical field", input_name);
	for (size_t t = 0; t < p->spec->ntargets; t++) {
		if (unmet[t]) {
			msg_add(&m, "%s %s", sep, p->spec->targets[t].field->name);
			sep = ",";
		}
	}
	msg_add(&m, " (add the column's name to the field's aliases in a --schema file, or --allow-missing);"
		" columns not matched:");
	sep = " ";
	for (size_t c = 0; c < p->in->nfields; c++) {
		if (role[c] == ROLE_DROP) {
			msg_add(&m, "%s'%s'", sep, p->in->fields[c].name);
			sep = ", ";
		}
	}
	if (*sep == ' ')
		msg_add(&m, " none");
	return fp_error_set(err, "%s", buf);
}

static int build_outputs(struct fp_canon_plan *p, const struct fp_canon_options *o, const enum role *role,
			 const char *input_name, struct fp_error *err)
{
	size_t n = 0, cap = p->spec->ntargets + p->in->nfields;
	bool *unmet = calloc(p->spec->ntargets + 1, sizeof(*unmet)), any_unmet = false;

	p->outs = calloc(cap + 1, sizeof(*p->outs));
	if (unmet == NULL || p->outs == NULL) {
		free(unmet);
		return fp_error_set(err, "out of memory");
	}
	for (size_t t = 0; t < p->spec->ntargets; t++) {
		const struct fp_canon_target *tg = &p->spec->targets[t];
		struct fp_canon_out *out = &p->outs[n];

		if (!tg->output)
			continue;
		out->target = tg;
		out->kind = choose_kind(p, t, o, &unmet[t]);
		out->src = p->target_src[t];
		any_unmet |= unmet[t];
		if (add_out_field(p, tg->field, tg->field->nullable || out->kind == FP_CANON_OUT_MISSING) == NULL) {
			free(unmet);
			return fp_error_set(err, "out of memory");
		}
		n++;
	}
	if (any_unmet) {
		unmet_error(p, input_name, unmet, role, err);
		free(unmet);
		return -1;
	}
	free(unmet);
	for (size_t c = 0; c < p->in->nfields; c++) {
		if (role[c] == ROLE_LABEL || (role[c] == ROLE_DROP && o->keep_extra)) {
			p->outs[n].kind = FP_CANON_OUT_PASS;
			p->outs[n].pass_col = c;
			if (add_out_field(p, &p->in->fields[c], true) == NULL)
				return fp_error_set(err, "out of memory");
			n++;
		}
	}
	return 0;
}

struct fp_canon_plan *fp_canon_plan_new(const struct fp_canon_spec *spec, const struct fp_schema *in,
					const struct fp_canon_options *o, const char *input_name,
					struct fp_error *err)
{
	struct fp_canon_plan *p = calloc(1, sizeof(*p));
	enum role *role = calloc(in->nfields + 1, sizeof(*role));

	if (p == NULL || role == NULL) {
		free(p);
		free(role);
		fp_error_set(err, "out of memory");
		return NULL;
	}
	p->spec = spec;
	p->in = in;
	p->time = o->time;
	p->out = fp_schema_new(spec->fields->name, spec->fields->version);
	p->target_src = calloc(spec->ntargets + 1, sizeof(*p->target_src));
	if (p->out == NULL || p->target_src == NULL) {
		fp_error_set(err, "out of memory");
		goto fail;
	}
	if (check_allow_missing(spec, o->allow_missing, err) < 0 || match_columns(p, role, err) < 0)
		goto fail;
	p->start_target = first_with_columns(p, FP_CANON_TIME, true);
	p->end_target = first_with_columns(p, FP_CANON_TIME, false);
	if (build_outputs(p, o, role, input_name, err) < 0)
		goto fail;
	p->scratch = calloc(p->out->nfields + spec->ntargets + 1, sizeof(*p->scratch));
	p->scratch_null = calloc(p->out->nfields + 1, sizeof(*p->scratch_null));
	if (p->scratch == NULL || p->scratch_null == NULL) {
		fp_error_set(err, "out of memory");
		goto fail;
	}
	free(role);
	return p;
fail:
	free(role);
	fp_canon_plan_free(p);
	return NULL;
}

void fp_canon_plan_free(struct fp_canon_plan *p)
{
	if (p == NULL)
		return;
	for (size_t t = 0; p->target_src && t < p->spec->ntargets; t++)
		free(p->target_src[t].v);
	free(p->target_src);
	free(p->outs);
	fp_schema_free(p->out);
	free(p->scratch);
	free(p->scratch_null);
	free(p);
}

bool fp_canon_plan_same_output(const struct fp_canon_plan *a, const struct fp_canon_plan *b, char *why,
			       size_t why_size)
{
	if (a->out->nfields != b->out->nfields) {
		snprintf(why, why_size, "it gives %zu output columns, the first input %zu", b->out->nfields,
			 a->out->nfields);
		return false;
	}
	for (size_t i = 0; i < a->out->nfields; i++) {
		const struct fp_field *x = &a->out->fields[i], *y = &b->out->fields[i];
		if (strcmp(x->name, y->name) != 0 || x->type != y->type || x->nullable != y->nullable ||
		    (x->type == FP_TYPE_TIMESTAMP && x->time_unit != y->time_unit)) {
			snprintf(why, why_size, "output column %zu is '%s' (%s%s), the first input's '%s' (%s%s)", i + 1,
				 y->name, fp_type_name(y->type), y->nullable ? ", nullable" : "", x->name,
				 fp_type_name(x->type), x->nullable ? ", nullable" : "");
			return false;
		}
	}
	return true;
}
