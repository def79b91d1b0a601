/*
 * schema.h - the description of a table: its columns, their types and
 * nullability, once, for every stage.
 *
 * The canonical flow schema is data (schemas/netflow/v1/schema.json),
 * embedded in the binary at build time and parsed at start-up; readers of
 * other files (Parquet, CSV) build a schema describing what they found.
 * Every sink derives its output from a schema: no sink has its own list of
 * columns.
 */
#ifndef FP_RECORD_SCHEMA_H
#define FP_RECORD_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/error.h"

/* The in-memory types a column can hold. */
enum fp_type {
	FP_TYPE_BOOL,		/* uint8_t 0/1 */
	FP_TYPE_INT32,		/* int32_t */
	FP_TYPE_INT64,		/* int64_t */
	FP_TYPE_DOUBLE,		/* double (float columns read from files widen to this) */
	FP_TYPE_STRING,		/* UTF-8 bytes: offsets + data */
	FP_TYPE_BINARY,		/* bytes without a text annotation: offsets + data */
	FP_TYPE_TIMESTAMP,	/* int64_t in `time_unit` since the Unix epoch */
};

enum fp_time_unit { FP_UNIT_MILLIS, FP_UNIT_MICROS, FP_UNIT_NANOS };

/* Another name a field goes by in someone else's export, and the unit that
 * name implies ("ms" for FLOW_DURATION_MILLISECONDS) or NULL for the
 * field's own. canonicalize reads these; nothing else needs them. */
struct fp_alias {
	char *name;
	char *unit;
};

struct fp_field {
	char *name;
	enum fp_type type;
	enum fp_time_unit time_unit;	/* FP_TYPE_TIMESTAMP only */
	bool time_utc;			/* FP_TYPE_TIMESTAMP only: adjusted to UTC */
	bool nullable;
	char *unit;			/* documentation: "s", "bytes", "packets"... or NULL */
	char *description;		/* or NULL */
	struct fp_alias *aliases;	/* schema.json's "aliases", in order */
	size_t naliases;
};

struct fp_schema {
	char *name;		/* "netflow" */
	char *version;		/* "v1" */
	size_t nfields;
	struct fp_field *fields;
};

/* The canonical flow schema (schemas/netflow/v1/schema.json as embedded).
 * Parsed on each call into a new schema the caller frees: no global state. */
struct fp_schema *fp_schema_netflow_v1(struct fp_error *err);

/* Parses a schema.json document. */
struct fp_schema *fp_schema_parse_json(const char *text, size_t len, struct fp_error *err);

/* An empty schema to add fields to (readers build theirs this way). */
struct fp_schema *fp_schema_new(const char *name, const char *version);
struct fp_field *fp_schema_add(struct fp_schema *s, const char *name, enum fp_type type, bool nullable);

/* Adds an alias to `f`; -1 when memory runs out. */
int fp_field_add_alias(struct fp_field *f, const char *name, const char *unit);

struct fp_schema *fp_schema_clone(const struct fp_schema *s);
void fp_schema_free(struct fp_schema *s);

/* Index of the field called `name`, or -1. */
int fp_schema_find(const struct fp_schema *s, const char *name);

/* Bytes per value of a fixed-width type (0 for STRING and BINARY). */
size_t fp_type_width(enum fp_type t);
/* STRING and BINARY: values are offsets + data. */
static inline bool fp_type_is_bytes(enum fp_type t) { return t == FP_TYPE_STRING || t == FP_TYPE_BINARY; }

/* "int64", "string", "timestamp[us, UTC]"... for messages and peek --schema. */
const char *fp_type_name(enum fp_type t);
void fp_field_type_text(const struct fp_field *f, char *buf, size_t size);

#endif
