/*
 * flow-features.c - stacking feature sets onto flows and records (see
 * flow-features.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow-features.h"

#define MAX_SETS 2		/* canonical + one richer set */
#define MAX_SET_STATE 2048
#define STATE_ALIGN 8

struct active_set {
	const struct fp_feature_set *set;
	size_t first, nfields;	/* its columns in the record schema */
	size_t state_offset;	/* its state in fp_flow_extra() */
	void *plan;		/* from bind, or NULL */
};

struct fp_flow_features {
	struct fp_schema *schema;
	struct active_set sets[MAX_SETS];
	size_t nsets;
	size_t state_size;
	int any_packet_hook;
};

/* Every set the meter can be asked for by name. */
static const struct fp_feature_set *const known_sets[] = {
	&fp_features_canonical,
	&fp_features_extended,
	&fp_features_cic,
	&fp_features_pcapflower,
	&fp_features_cic2017,
};

const char *fp_feature_set_names(char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(known_sets) / sizeof(known_sets[0]) && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", known_sets[i]->name);
	return buf;
}

const struct fp_feature_set *fp_feature_set_find(const char *name)
{
	for (size_t i = 0; i < sizeof(known_sets) / sizeof(known_sets[0]); i++)
		if (strcmp(known_sets[i]->name, name) == 0)
			return known_sets[i];
	return NULL;
}

static int add_declared_fields(struct fp_schema *s, const struct fp_feature_set *set, struct fp_error *err)
{
	for (size_t i = 0; i < set->nfields; i++) {
		const struct fp_feature_field *d = &set->fields[i];
		struct fp_field *f;

		if (fp_schema_find(s, d->name) >= 0)
			return fp_error_set(err, "feature set %s: column '%s' is already in the record", set->name,
					    d->name);
		f = fp_schema_add(s, d->name, d->type, d->nullable);
		if (f == NULL)
			return fp_error_set(err, "out of memory");
		f->time_unit = d->time_unit;
		f->unit = d->unit ? strdup(d->unit) : NULL;
		f->description = d->description ? strdup(d->description) : NULL;
		if ((d->unit && !f->unit) || (d->description && !f->description))
			return fp_error_set(err, "out of memory");
	}
	return 0;
}

/* Adds `set` after the sets already stacked: its columns (declared ones
 * are added to the schema; the canonical set's are the schema's first
 * `ncanonical`), its state, its plan. */
static int stack_set(struct fp_flow_features *ff, const struct fp_feature_set *set, size_t ncanonical,
		     struct fp_error *err)
{
	struct active_set *a = &ff->sets[ff->nsets];

	if (set->state_size > MAX_SET_STATE)
		return fp_error_set(err, "feature set %s: %zu bytes of state per flow is more than the %d allowed",
				    set->name, set->state_size, MAX_SET_STATE);
	if (set->fields == NULL && ff->nsets > 0)
		return fp_error_set(err, "feature set %s declares no columns", set->name);
	a->set = set;
	a->first = ff->schema->nfields;
	if (set->fields == NULL) {
		a->first = 0;
		a->nfields = ncanonical;
	} else {
		if (add_declared_fields(ff->schema, set, err) < 0)
			return -1;
		a->nfields = set->nfields;
	}
	a->state_offset = ff->state_size;
	ff->state_size += (set->state_size + STATE_ALIGN - 1) / STATE_ALIGN * STATE_ALIGN;
	ff->nsets++;
	if (set->packet != NULL || set->init != NULL)
		ff->any_packet_hook = 1;
	return 0;
}

/* Binds every set to its columns, now that the schema is complete (its
 * field array no longer moves). */
static int bind_sets(struct fp_flow_features *ff, struct fp_error *err)
{
	for (size_t i = 0; i < ff->nsets; i++) {
		struct active_set *a = &ff->sets[i];

		if (a->set->bind != NULL &&
		    a->set->bind(ff->schema->fields + a->first, a->nfields, &a->plan, err) < 0)
			return fp_error_prefix(err, "feature set %s", a->set->name);
	}
	return 0;
}

/* The schema the record starts from: a copy of the canonical one, or an
 * empty one named after a set that stands alone (own_record). */
static struct fp_schema *record_base(const struct fp_schema *canonical, const struct fp_feature_set *extra)
{
	if (extra != NULL && extra->own_record)
		return fp_schema_new(extra->name, "v1");
	return fp_schema_clone(canonical);
}

struct fp_flow_features *fp_flow_features_new(const struct fp_schema *canonical, const struct fp_feature_set *extra,
					      struct fp_error *err)
{
	struct fp_flow_features *ff = calloc(1, sizeof(*ff));

	if (extra == &fp_features_canonical)
		extra = NULL;
	if (ff == NULL || (ff->schema = record_base(canonical, extra)) == NULL) {
		free(ff);
		fp_error_set(err, "out of memory");
		return NULL;
	}
	if ((ff->schema->nfields > 0 && stack_set(ff, &fp_features_canonical, canonical->nfields, err) < 0) ||
	    (extra != NULL && stack_set(ff, extra, 0, err) < 0) || bind_sets(ff, err) < 0) {
		fp_flow_features_free(ff);
		return NULL;
	}
	return ff;
}

void fp_flow_features_free(struct fp_flow_features *ff)
{
	if (ff == NULL)
		return;
	for (size_t i = 0; i < ff->nsets; i++)
		if (ff->sets[i].plan != NULL && ff->sets[i].set->unbind != NULL)
			ff->sets[i].set->unbind(ff->sets[i].plan);
	fp_schema_free(ff->schema);
	free(ff);
}

const struct fp_schema *fp_flow_features_schema(const struct fp_flow_features *ff)
{
	return ff->schema;
}

void fp_flow_features_flow_config(const struct fp_flow_features *ff, struct fp_flow_config *cfg)
{
	for (size_t i = 0; i < ff->nsets; i++)
		if (ff->sets[i].set->flow_config != NULL)
			ff->sets[i].set->flow_config(cfg);
}

size_t fp_flow_features_state_size(const struct fp_flow_features *ff)
{
	return ff->state_size;
}

static inline void *set_state(const struct active_set *a, struct fp_flow *flow)
{
	return (char *)fp_flow_extra(flow) + a->state_offset;
}

static void features_start(void *ctx, struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir)
{
	const struct fp_flow_features *ff = ctx;

	for (size_t i = 0; i < ff->nsets; i++)
		if (ff->sets[i].set->init != NULL)
			ff->sets[i].set->init(set_state(&ff->sets[i], flow), flow, p, dir);
}

static void features_packet(void *ctx, struct fp_flow *flow, const struct fp_packet *p, enum fp_flow_dir dir)
{
	const struct fp_flow_features *ff = ctx;

	for (size_t i = 0; i < ff->nsets; i++)
		if (ff->sets[i].set->packet != NULL)
			ff->sets[i].set->packet(set_state(&ff->sets[i], flow), flow, p, dir);
}

void fp_flow_features_hooks(const struct fp_flow_features *ff, struct fp_flow_hooks *hooks)
{
	memset(hooks, 0, sizeof(*hooks));
	if (!ff->any_packet_hook)
		return;
	hooks->start = features_start;
	hooks->packet = features_packet;
	hooks->ctx = (void *)ff;	/* the hooks only read it: meters may share one */
}

int fp_flow_features_append(const struct fp_flow_features *ff, struct fp_batch *b, struct fp_flow *flow,
			    enum fp_flow_end why)
{
	for (size_t i = 0; i < ff->nsets; i++) {
		const struct active_set *a = &ff->sets[i];
		struct fp_feature_row row = { b, a->first, a->nfields, b->schema->fields + a->first };

		if (a->set->end != NULL)
			a->set->end(set_state(a, flow), flow, why);
		if (a->set->append(a->plan, &row, flow, set_state(a, flow), why) < 0)
			return -1;
	}
	fp_batch_end_row(b);
	return 0;
}
