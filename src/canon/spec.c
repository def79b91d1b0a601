/*
 * spec.c - schema.json into a canonicalize spec (spec.h).
 *
 * The canonical fields are parsed by record/schema.c, the one reader of a
 * field's type, nullability, unit and aliases; this file reads the keys
 * only canonicalize cares about ("format", "when_missing", "inputs",
 * "labels") from the same document and turns every alias into its key.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon/resolve.h"
#include "canon/spec.h"
#include "lib/json.h"

#define MAX_SCHEMA_BYTES (16u << 20)

extern const char fp_schema_netflow_v1_json[];
extern const size_t fp_schema_netflow_v1_json_len;

static const struct {
	const char *word;
	enum fp_canon_format format;
} format_words[] = {
	{ "plain", FP_CANON_PLAIN }, { "ip", FP_CANON_IP }, { "port", FP_CANON_PORT },
	{ "ip_protocol", FP_CANON_IP_PROTOCOL }, { "count", FP_CANON_COUNT },
	{ "duration", FP_CANON_DURATION }, { "time", FP_CANON_TIME },
};

const char *fp_canon_format_name(enum fp_canon_format f)
{
	for (size_t i = 0; i < sizeof(format_words) / sizeof(format_words[0]); i++)
		if (format_words[i].format == f)
			return format_words[i].word;
	return "?";
}

/* The field's "format": given, else time for a timestamp, else plain. */
static int read_format(const struct fp_json *jf, const struct fp_field *f, enum fp_canon_format *out,
		       struct fp_error *err)
{
	const char *word = fp_json_get_string(jf, "format", NULL);

	if (word == NULL) {
		*out = f->type == FP_TYPE_TIMESTAMP ? FP_CANON_TIME : FP_CANON_PLAIN;
		return 0;
	}
	for (size_t i = 0; i < sizeof(format_words) / sizeof(format_words[0]); i++) {
		if (strcmp(format_words[i].word, word) == 0) {
			*out = format_words[i].format;
			return 0;
		}
	}
	return fp_error_set(err, "field '%s': unknown \"format\" '%s' (ip, port, ip_protocol, count, duration,"
			    " time, plain)", f->name, word);
}

static int init_target(struct fp_canon_target *t, const struct fp_field *f, const struct fp_json *jf, bool output,
		       struct fp_error *err)
{
	const struct fp_json *dflt = fp_json_get(jf, "when_missing");

	t->field = f;
	t->output = output;
	if (read_format(jf, f, &t->format, err) < 0)
		return -1;
	t->unit = f->unit ? fp_canon_unit_parse(f->unit, strlen(f->unit)) : FP_CANON_UNIT_NONE;
	if (t->format == FP_CANON_DURATION && t->unit == FP_CANON_UNIT_NONE)
		t->unit = FP_CANON_UNIT_S;
	if (dflt != NULL) {
		if (dflt->type != FP_JSON_NUMBER || fp_json_int64(dflt, &t->default_value) < 0)
			return fp_error_set(err, "field '%s': \"when_missing\" is not an integer", f->name);
		t->has_default = true;
	}
	t->keys = calloc(f->naliases ? f->naliases : 1, sizeof(*t->keys));
	if (t->keys == NULL)
		return fp_error_set(err, "out of memory");
	for (size_t a = 0; a < f->naliases; a++) {
		if (f->aliases[a].unit && fp_canon_unit_parse(f->aliases[a].unit, strlen(f->aliases[a].unit)) ==
		    FP_CANON_UNIT_NONE)
			return fp_error_set(err, "field '%s', alias '%s': unknown unit '%s' (s, ms, us, ns)", f->name,
					    f->aliases[a].name, f->aliases[a].unit);
		if ((t->keys[a] = fp_canon_key(f->aliases[a].name)) == NULL)
			return fp_error_set(err, "out of memory");
	}
	return 0;
}

/* "inputs": fields read but not written; only a name, a type word, aliases. */
static int parse_inputs(struct fp_canon_spec *s, const struct fp_json *list, struct fp_error *err)
{
	s->inputs = fp_schema_new("inputs", "");
	if (s->inputs == NULL)
		return fp_error_set(err, "out of memory");
	if (list == NULL)
		return 0;
	if (list->type != FP_JSON_ARRAY)
		return fp_error_set(err, "\"inputs\" is not an array");
	for (size_t i = 0; i < list->n; i++) {
		const struct fp_json *ji = &list->items[i], *aliases = fp_json_get(ji, "aliases");
		const char *name = fp_json_get_string(ji, "name", NULL);
		const char *type = fp_json_get_string(ji, "type", "");
		bool is_time = strncmp(type, "timestamp", 9) == 0;
		struct fp_field *f;

		if (name == NULL || (!is_time && strcmp(type, "float64") != 0 && strcmp(type, "int64") != 0))
			return fp_error_set(err, "input %zu needs a name and a type (timestamp_us, float64, int64)", i);
		f = fp_schema_add(s->inputs, name, is_time ? FP_TYPE_TIMESTAMP : type[0] == 'f' ? FP_TYPE_DOUBLE :
				  FP_TYPE_INT64, true);
		if (f == NULL)
			return fp_error_set(err, "out of memory");
		for (size_t a = 0; aliases && aliases->type == FP_JSON_ARRAY && a < aliases->n; a++) {
			const struct fp_json *ja = &aliases->items[a];
			const char *an = ja->type == FP_JSON_STRING ? ja->text : fp_json_get_string(ja, "name", NULL);
			if (an == NULL || fp_field_add_alias(f, an, fp_json_get_string(ja, "unit", NULL)) < 0)
				return fp_error_set(err, "input '%s': alias %zu is neither a name nor {\"name\", \"unit\"}",
						    name, a);
		}
	}
	return 0;
}

static int parse_labels(struct fp_canon_spec *s, const struct fp_json *list, struct fp_error *err)
{
	if (list == NULL)
		return 0;
	if (list->type != FP_JSON_ARRAY)
		return fp_error_set(err, "\"labels\" is not an array");
	s->label_keys = calloc(list->n ? list->n : 1, sizeof(*s->label_keys));
	if (s->label_keys == NULL)
		return fp_error_set(err, "out of memory");
	for (size_t i = 0; i < list->n; i++) {
		if (list->items[i].type != FP_JSON_STRING)
			return fp_error_set(err, "label %zu is not a string", i);
		if ((s->label_keys[s->nlabels++] = fp_canon_key(list->items[i].text)) == NULL)
			return fp_error_set(err, "out of memory");
	}
	return 0;
}

/* Every alias key names one field; a label is no alias. */
static int check_unique(const struct fp_canon_spec *s, struct fp_error *err)
{
	for (size_t t = 0; t < s->ntargets; t++) {
		const struct fp_canon_target *a = &s->targets[t];
		for (size_t i = 0; i < a->field->naliases; i++) {
			struct fp_canon_match m;
			fp_canon_match_key(s, a->keys[i], &m);
			if (m.target != (int)t || m.alias != i)
				return fp_error_set(err, "alias '%s' of '%s' is also alias '%s' of '%s' (names are compared"
						    " ignoring case, spaces and punctuation)", a->field->aliases[i].name,
						    a->field->name,
						    s->targets[m.target].field->aliases[m.alias].name,
						    s->targets[m.target].field->name);
		}
	}
	for (size_t l = 0; l < s->nlabels; l++) {
		struct fp_canon_match m;
		fp_canon_match_key(s, s->label_keys[l], &m);
		if (m.target >= 0)
			return fp_error_set(err, "label '%s' is also an alias of '%s'", s->label_keys[l],
					    s->targets[m.target].field->name);
	}
	return 0;
}

static int build_targets(struct fp_canon_spec *s, const struct fp_json *doc, struct fp_error *err)
{
	const struct fp_json *jfields = fp_json_get(doc, "fields"), *jinputs = fp_json_get(doc, "inputs");
	size_t k = 0;

	s->targets = calloc(s->fields->nfields + s->inputs->nfields, sizeof(*s->targets));
	if (s->targets == NULL)
		return fp_error_set(err, "out of memory");
	for (size_t i = 0; i < s->fields->nfields; i++, k++) {
		s->ntargets = k + 1;
		if (init_target(&s->targets[k], &s->fields->fields[i], &jfields->items[i], true, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < s->inputs->nfields; i++, k++) {
		s->ntargets = k + 1;
		if (init_target(&s->targets[k], &s->inputs->fields[i], &jinputs->items[i], false, err) < 0)
			return -1;
	}
	return 0;
}

struct fp_canon_spec *fp_canon_spec_parse(const char *text, size_t len, const char *name, struct fp_error *err)
{
	struct fp_canon_spec *s = calloc(1, sizeof(*s));
	struct fp_json *doc = NULL;

	if (s == NULL) {
		fp_error_set(err, "out of memory");
		return NULL;
	}
	s->fields = fp_schema_parse_json(text, len, err);
	if (s->fields == NULL || (doc = fp_json_parse(text, len, err)) == NULL)
		goto fail;
	if (parse_inputs(s, fp_json_get(doc, "inputs"), err) < 0 || parse_labels(s, fp_json_get(doc, "labels"), err) < 0 ||
	    build_targets(s, doc, err) < 0 || check_unique(s, err) < 0)
		goto fail;
	fp_json_free(doc);
	return s;
fail:
	fp_json_free(doc);
	fp_canon_spec_free(s);
	fp_error_prefix(err, "%s", name);
	return NULL;
}

struct fp_canon_spec *fp_canon_spec_default(struct fp_error *err)
{
	return fp_canon_spec_parse(fp_schema_netflow_v1_json, fp_schema_netflow_v1_json_len,
				   "embedded schemas/netflow/v1/schema.json", err);
}

struct fp_canon_spec *fp_canon_spec_load(const char *path, struct fp_error *err)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0;
	struct fp_canon_spec *s = NULL;

	if (f == NULL) {
		fp_error_errno(err, "%s", path);
		return NULL;
	}
	text = malloc(MAX_SCHEMA_BYTES + 1);
	if (text == NULL) {
		fp_error_set(err, "%s: out of memory", path);
		goto out;
	}
	len = fread(text, 1, MAX_SCHEMA_BYTES + 1, f);
	if (ferror(f))
		fp_error_errno(err, "%s", path);
	else if (len > MAX_SCHEMA_BYTES)
		fp_error_set(err, "%s: larger than 16 MiB; not a schema", path);
	else
		s = fp_canon_spec_parse(text, len, path, err);
out:
	free(text);
	fclose(f);
	return s;
}

void fp_canon_spec_free(struct fp_canon_spec *s)
{
	if (s == NULL)
		return;
	for (size_t t = 0; t < s->ntargets; t++) {
		for (size_t a = 0; s->targets[t].keys && a < s->targets[t].field->naliases; a++)
			free(s->targets[t].keys[a]);
		free(s->targets[t].keys);
	}
	free(s->targets);
	for (size_t l = 0; l < s->nlabels; l++)
		free(s->label_keys[l]);
	free(s->label_keys);
	fp_schema_free(s->fields);
	fp_schema_free(s->inputs);
	free(s);
}
