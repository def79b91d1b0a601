/*
 * schema.c - table descriptions: built by hand (readers) or parsed from a
 * schema.json document (the canonical flow schema, embedded at build time
 * from schemas/netflow/v1/schema.json).
 *
 * schema.json: {"name", "version", "fields": [{"name", "type", "nullable",
 * "unit", "description", "aliases"}...]}, where type is one of bool, int32,
 * int64, float64, string, binary, timestamp_ms, timestamp_us, timestamp_ns
 * (timestamps are UTC). Each alias is a name, or {"name", "unit"} when the
 * name implies a unit other than the field's (a duration in ms...). The
 * schema keeps all of it, so canonicalize and the docs read one place.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "record/schema.h"

extern const char fp_schema_netflow_v1_json[];
extern const size_t fp_schema_netflow_v1_json_len;

struct type_word {
	const char *word;
	enum fp_type type;
	enum fp_time_unit unit;
};

static const struct type_word type_words[] = {
	{ "bool", FP_TYPE_BOOL, FP_UNIT_MICROS },
	{ "int32", FP_TYPE_INT32, FP_UNIT_MICROS },
	{ "int64", FP_TYPE_INT64, FP_UNIT_MICROS },
	{ "float64", FP_TYPE_DOUBLE, FP_UNIT_MICROS },
	{ "string", FP_TYPE_STRING, FP_UNIT_MICROS },
	{ "binary", FP_TYPE_BINARY, FP_UNIT_MICROS },
	{ "timestamp_ms", FP_TYPE_TIMESTAMP, FP_UNIT_MILLIS },
	{ "timestamp_us", FP_TYPE_TIMESTAMP, FP_UNIT_MICROS },
	{ "timestamp_ns", FP_TYPE_TIMESTAMP, FP_UNIT_NANOS },
};

struct fp_schema *fp_schema_new(const char *name, const char *version)
{
	struct fp_schema *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->name = strdup(name ? name : "");
	s->version = strdup(version ? version : "");
	if (s->name == NULL || s->version == NULL) {
		fp_schema_free(s);
		return NULL;
	}
	return s;
}

struct fp_field *fp_schema_add(struct fp_schema *s, const char *name, enum fp_type type, bool nullable)
{
	struct fp_field *f;

	/* Capacity doubles at each power of two, so wide tables (CSV headers
	 * with thousands of columns) are built in linear time. */
	if (s->nfields == 0 || (s->nfields & (s->nfields - 1)) == 0) {
		size_t cap = s->nfields ? s->nfields * 2 : 1;
		struct fp_field *fields = realloc(s->fields, cap * sizeof(*fields));
		if (fields == NULL)
			return NULL;
		s->fields = fields;
	}
	f = &s->fields[s->nfields];
	memset(f, 0, sizeof(*f));
	f->name = strdup(name);
	if (f->name == NULL)
		return NULL;
	f->type = type;
	f->nullable = nullable;
	f->time_unit = FP_UNIT_MICROS;
	f->time_utc = true;
	s->nfields++;
	return f;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int fp_field_add_alias(struct fp_field *f, const char *name, const char *unit)
{
	struct fp_alias *a;

	if (f->naliases == 0 || (f->naliases & (f->naliases - 1)) == 0) {
		size_t cap = f->naliases ? f->naliases * 2 : 4;
		struct fp_alias *grown = realloc(f->aliases, cap * sizeof(*grown));
		if (grown == NULL)
			return -1;
		f->aliases = grown;
	}
	a = &f->aliases[f->naliases];
	a->name = strdup(name);
	a->unit = dup_or_null(unit);
	if (a->name == NULL || (unit != NULL && a->unit == NULL)) {
		free(a->name);
		free(a->unit);
		return -1;
	}
	f->naliases++;
	return 0;
}

static void field_free_aliases(struct fp_field *f)
{
	for (size_t k = 0; k < f->naliases; k++) {
		free(f->aliases[k].name);
		free(f->aliases[k].unit);
	}
	free(f->aliases);
	f->aliases = NULL;
	f->naliases = 0;
}

struct fp_schema *fp_schema_clone(const struct fp_schema *s)
{
	struct fp_schema *c = fp_schema_new(s->name, s->version);

	if (c == NULL)
		return NULL;
	for (size_t i = 0; i < s->nfields; i++) {
		const struct fp_field *f = &s->fields[i];
		struct fp_field *g = fp_schema_add(c, f->name, f->type, f->nullable);
		if (g == NULL) {
			fp_schema_free(c);
			return NULL;
		}
		g->time_unit = f->time_unit;
		g->time_utc = f->time_utc;
		g->unit = dup_or_null(f->unit);
		g->description = dup_or_null(f->description);
		for (size_t k = 0; k < f->naliases; k++) {
			if (fp_field_add_alias(g, f->aliases[k].name, f->aliases[k].unit) < 0) {
				fp_schema_free(c);
				return NULL;
			}
		}
	}
	return c;
}

void fp_schema_free(struct fp_schema *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nfields; i++) {
		free(s->fields[i].name);
		free(s->fields[i].unit);
		free(s->fields[i].description);
		field_free_aliases(&s->fields[i]);
	}
	free(s->fields);
	free(s->name);
	free(s->version);
	free(s);
}

int fp_schema_find(const struct fp_schema *s, const char *name)
{
	for (size_t i = 0; i < s->nfields; i++)
		if (strcmp(s->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* "aliases": ["name", {"name": "...", "unit": "ms"}, ...] */
static int parse_aliases(struct fp_field *f, const struct fp_json *list, struct fp_error *err)
{
	if (list == NULL)
		return 0;
	if (list->type != FP_JSON_ARRAY)
		return fp_error_set(err, "field '%s': \"aliases\" is not an array", f->name);
	for (size_t i = 0; i < list->n; i++) {
		const struct fp_json *a = &list->items[i];
		const char *name = a->type == FP_JSON_STRING ? a->text : fp_json_get_string(a, "name", NULL);
		const char *unit = a->type == FP_JSON_OBJECT ? fp_json_get_string(a, "unit", NULL) : NULL;

		if (name == NULL || *name == '\0')
			return fp_error_set(err, "field '%s': alias %zu is neither a name nor {\"name\", \"unit\"}",
					    f->name, i);
		if (fp_field_add_alias(f, name, unit) < 0)
			return fp_error_set(err, "out of memory");
	}
	return 0;
}

static int parse_field(struct fp_schema *s, const struct fp_json *jf, size_t index, struct fp_error *err)
{
	const char *name = fp_json_get_string(jf, "name", NULL);
	const char *type = fp_json_get_string(jf, "type", NULL);
	const struct type_word *tw = NULL;
	struct fp_field *f;

	if (name == NULL || *name == '\0')
		return fp_error_set(err, "field %zu has no name", index);
	if (type == NULL)
		return fp_error_set(err, "field '%s' has no type", name);
	for (size_t i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
		if (strcmp(type_words[i].word, type) == 0)
			tw = &type_words[i];
	if (tw == NULL)
		return fp_error_set(err, "field '%s': unknown type '%s'", name, type);
	if (fp_schema_find(s, name) >= 0)
		return fp_error_set(err, "field '%s' appears twice", name);
	f = fp_schema_add(s, name, tw->type, fp_json_get_bool(jf, "nullable", true));
	if (f == NULL)
		return fp_error_set(err, "out of memory");
	f->time_unit = tw->unit;
	f->time_utc = true;
	f->unit = dup_or_null(fp_json_get_string(jf, "unit", NULL));
	f->description = dup_or_null(fp_json_get_string(jf, "description", NULL));
	return parse_aliases(f, fp_json_get(jf, "aliases"), err);
}

struct fp_schema *fp_schema_parse_json(const char *text, size_t len, struct fp_error *err)
{
	struct fp_json *doc = fp_json_parse(text, len, err);
	const struct fp_json *fields;
	struct fp_schema *s = NULL;

	if (doc == NULL)
		return NULL;
	fields = fp_json_get(doc, "fields");
	if (doc->type != FP_JSON_OBJECT || fields == NULL || fields->type != FP_JSON_ARRAY) {
		fp_error_set(err, "a schema is an object with a \"fields\" array");
		goto out;
	}
	s = fp_schema_new(fp_json_get_string(doc, "name", ""), fp_json_get_string(doc, "version", ""));
	if (s == NULL) {
		fp_error_set(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < fields->n; i++) {
		if (parse_field(s, &fields->items[i], i, err) < 0) {
			fp_schema_free(s);
			s = NULL;
			goto out;
		}
	}
out:
	fp_json_free(doc);
	return s;
}

struct fp_schema *fp_schema_netflow_v1(struct fp_error *err)
{
	struct fp_schema *s = fp_schema_parse_json(fp_schema_netflow_v1_json, fp_schema_netflow_v1_json_len, err);

	if (s == NULL)
		fp_error_prefix(err, "embedded schemas/netflow/v1/schema.json");
	return s;
}

size_t fp_type_width(enum fp_type t)
{
	switch (t) {
	case FP_TYPE_BOOL: return 1;
	case FP_TYPE_INT32: return 4;
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP:
	case FP_TYPE_DOUBLE: return 8;
	case FP_TYPE_STRING:
	case FP_TYPE_BINARY: return 0;
	}
	return 0;
}

const char *fp_type_name(enum fp_type t)
{
	switch (t) {
	case FP_TYPE_BOOL: return "bool";
	case FP_TYPE_INT32: return "int32";
	case FP_TYPE_INT64: return "int64";
	case FP_TYPE_DOUBLE: return "float64";
	case FP_TYPE_STRING: return "string";
	case FP_TYPE_BINARY: return "binary";
	case FP_TYPE_TIMESTAMP: return "timestamp";
	}
	return "?";
}

void fp_field_type_text(const struct fp_field *f, char *buf, size_t size)
{
	static const char *units[] = { "ms", "us", "ns" };

	if (f->type == FP_TYPE_TIMESTAMP)
		snprintf(buf, size, "timestamp[%s%s]", units[f->time_unit], f->time_utc ? ", UTC" : "");
	else
		snprintf(buf, size, "%s", fp_type_name(f->type));
}
