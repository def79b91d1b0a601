/*
 * spec.h - what canonicalize reads from schema.json: the canonical fields
 * it writes, the input-only fields it reads (a flow's end time), the label
 * columns it passes through, and for each field how its cells are judged.
 *
 * Everything about a field comes from the file, so adding a vendor or a
 * field is a JSON edit: "aliases" (names, with the unit a name implies),
 * "format" (ip, port, ip_protocol, count, duration, time; plain otherwise),
 * "when_missing" (the value of a field no column matches), "nullable".
 * Loading checks that no alias (compared as a key, resolve.h) belongs to
 * two fields, so a column can never be claimed twice.
 *
 * A spec is immutable once loaded and may be shared by every input.
 */
#ifndef FP_CANON_SPEC_H
#define FP_CANON_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canon/units.h"
#include "lib/error.h"
#include "record/schema.h"

/* How a field's cells are read and checked. */
enum fp_canon_format {
	FP_CANON_PLAIN,		/* the field's type, any value of it */
	FP_CANON_IP,		/* IPv4/IPv6 address text (or an IPv4 as an integer) -> RFC 5952 text */
	FP_CANON_PORT,		/* integer 0..65535 */
	FP_CANON_IP_PROTOCOL,	/* integer 0..255 or a protocol name */
	FP_CANON_COUNT,		/* integer >= 0 */
	FP_CANON_DURATION,	/* number >= 0 in a time unit -> float64 seconds */
	FP_CANON_TIME,		/* epoch number or datetime string -> timestamp µs UTC */
};

struct fp_canon_target {
	const struct fp_field *field;	/* name, type, nullability, aliases */
	enum fp_canon_format format;
	enum fp_canon_unit unit;	/* the field's own unit (DURATION: s) */
	bool has_default;		/* "when_missing" given */
	int64_t default_value;
	char **keys;			/* the aliases as keys, parallel to field->aliases */
	bool output;			/* a canonical field (false: input only) */
};

struct fp_canon_spec {
	struct fp_schema *fields;	/* the canonical fields, in output order */
	struct fp_schema *inputs;	/* input-only fields */
	struct fp_canon_target *targets;	/* fields, then inputs */
	size_t ntargets;
	char **label_keys;		/* "labels", as keys */
	size_t nlabels;
};

/* Parses a schema.json document (name is for messages). */
struct fp_canon_spec *fp_canon_spec_parse(const char *text, size_t len, const char *name, struct fp_error *err);
/* The embedded schemas/netflow/v1/schema.json. */
struct fp_canon_spec *fp_canon_spec_default(struct fp_error *err);
/* Reads and parses a schema file (at most 16 MiB). */
struct fp_canon_spec *fp_canon_spec_load(const char *path, struct fp_error *err);
void fp_canon_spec_free(struct fp_canon_spec *s);

const char *fp_canon_format_name(enum fp_canon_format f);

#endif
