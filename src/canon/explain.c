/*
 * explain.c - `canonicalize --explain`: the plan in words (plan.h).
 *
 * One line per output column: the canonical field, its type, where its
 * values come from and how they are converted, so a user can check a
 * mapping before trusting a table built with it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "canon/plan.h"

static const char *conversion(const struct fp_canon_target *t, const struct fp_canon_source *s, char *buf,
			      size_t size)
{
	const char *in = fp_type_name(s->field->type);

	switch (t->format) {
	case FP_CANON_TIME:
		if (s->field->type == FP_TYPE_TIMESTAMP)
			snprintf(buf, size, "typed timestamp%s", s->field->time_utc ? "" : ", zone-less: --timezone");
		else if (fp_type_is_bytes(s->field->type) && s->unit == FP_CANON_UNIT_NONE)
			snprintf(buf, size, "datetime text, or an epoch number with its unit by magnitude");
		else if (fp_type_is_bytes(s->field->type))
			snprintf(buf, size, "datetime text, or an epoch number in %s (unit from %s)",
				 fp_canon_unit_name(s->unit), s->unit_from);
		else if (s->unit == FP_CANON_UNIT_NONE)
			snprintf(buf, size, "%s epoch, unit by magnitude -> us", in);
		else
			snprintf(buf, size, "%s epoch in %s (unit from %s) -> us", in, fp_canon_unit_name(s->unit),
				 s->unit_from);
		break;
	case FP_CANON_DURATION:
		snprintf(buf, size, "%s in %s (unit from %s) -> seconds", in, fp_canon_unit_name(s->unit),
			 s->unit_from);
		break;
	case FP_CANON_IP: snprintf(buf, size, "%s: IPv4/IPv6 address, RFC 5952 text", in); break;
	case FP_CANON_PORT: snprintf(buf, size, "%s: port 0..65535", in); break;
	case FP_CANON_IP_PROTOCOL: snprintf(buf, size, "%s: number 0..255 or name (tcp -> 6)", in); break;
	case FP_CANON_COUNT: snprintf(buf, size, "%s: whole number >= 0", in); break;
	case FP_CANON_PLAIN: snprintf(buf, size, "%s as %s", in, fp_type_name(t->field->type)); break;
	}
	return buf;
}

static void explain_field(const struct fp_canon_plan *p, const struct fp_canon_out *o, FILE *out)
{
	char how[160];

	for (size_t k = 0; k < o->src.n; k++) {
		const struct fp_canon_source *s = &o->src.v[k];
		fprintf(out, "%s'%s' (%s)", k ? "\n      then, where null, " : "", p->in->fields[s->col].name,
			conversion(o->target, s, how, sizeof(how)));
	}
}

static bool derives(const struct fp_canon_plan *p)
{
	for (size_t i = 0; i < p->out->nfields; i++)
		if (p->outs[i].kind == FP_CANON_OUT_DERIVED)
			return true;
	return false;
}

/* The input columns no output column reads. */
static void explain_dropped(const struct fp_canon_plan *p, FILE *out)
{
	bool *used = calloc(p->in->nfields + 1, sizeof(*used));
	size_t n = 0;

	if (used == NULL)
		return;
	for (size_t t = 0; t < p->spec->ntargets; t++)
		for (size_t k = 0; k < p->target_src[t].n; k++)
			used[p->target_src[t].v[k].col] = true;
	for (size_t i = 0; i < p->out->nfields; i++)
		if (p->outs[i].kind == FP_CANON_OUT_PASS)
			used[p->outs[i].pass_col] = true;
	fprintf(out, "dropped:");
	for (size_t c = 0; c < p->in->nfields; c++)
		if (!used[c])
			fprintf(out, "%s'%s'", n++ ? ", " : " ", p->in->fields[c].name);
	fprintf(out, "%s\n", n ? " (--keep-extra keeps them)" : " nothing");
	free(used);
}

void fp_canon_plan_explain(const struct fp_canon_plan *p, FILE *out)
{
	char type[48];

	fprintf(out, "output column <- input\n");
	for (size_t i = 0; i < p->out->nfields; i++) {
		const struct fp_canon_out *o = &p->outs[i];

		fp_field_type_text(&p->out->fields[i], type, sizeof(type));
		fprintf(out, "  %s %s <- ", p->out->fields[i].name, type);
		switch (o->kind) {
		case FP_CANON_OUT_FIELD: explain_field(p, o, out); break;
		case FP_CANON_OUT_DERIVED:
			fprintf(out, "%s - %s ('%s' - '%s')", p->spec->targets[p->end_target].field->name,
				p->spec->targets[p->start_target].field->name,
				p->in->fields[p->target_src[p->end_target].v[0].col].name,
				p->in->fields[p->target_src[p->start_target].v[0].col].name);
			break;
		case FP_CANON_OUT_DEFAULT:
			fprintf(out, "no column: %lld for every row (\"when_missing\")",
				(long long)o->target->default_value);
			break;
		case FP_CANON_OUT_MISSING: fprintf(out, "no column: null"); break;
		case FP_CANON_OUT_PASS: fprintf(out, "'%s' unchanged", p->in->fields[o->pass_col].name); break;
		}
		fputc('\n', out);
	}
	for (size_t t = 0; t < p->spec->ntargets; t++) {
		if (!p->spec->targets[t].output && p->target_src[t].n > 0)
			fprintf(out, "  (input only) %s <- '%s'%s\n", p->spec->targets[t].field->name,
				p->in->fields[p->target_src[t].v[0].col].name,
				(int)t == p->end_target && derives(p) ? ": gives the duration" : ": not needed");
	}
	explain_dropped(p, out);
}
