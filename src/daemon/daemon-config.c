/*
 * daemon-config.c - flowprepd's YAML configuration into struct fpd_config (see
 * config.h for what the keys mean).
 *
 * The file becomes a positioned tree (yaml-walk.c); then one walker goes
 * over each mapping with a table of the keys it may hold. A key's entry
 * says how its value is read (lib/parse-value for durations, sizes,
 * counts, booleans and names; config-values.c for the daemon's own kinds)
 * and where in the struct it goes, so the tables below are the whole
 * schema of the file. A mapping's table also says what to check once all
 * its keys are read (settings that are judged together).
 *
 * Invariants: the struct being filled is the loader's own until the whole
 * file is read and checked, and only then handed to the caller, so a
 * refused file leaves nothing behind; every message starts "FILE:LINE:COL:
 * key.path:" at the value (or key) at fault, or at the mapping a required
 * key is missing from.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/config-values.h"
#include "daemon/daemon-config.h"
#include "daemon/yaml-walk.h"
#include "flow/feature-set.h"
#include "format/parquet/parquet.h"
#include "lib/parse-value.h"

#define PATH_MAX_LEN 128
#define MAX_KEYS 16
#define MIB (1024 * 1024)

/* Enum fields are filled through an int. */
_Static_assert(sizeof(enum fp_spool_after) == sizeof(int), "enum size");
_Static_assert(sizeof(enum fp_byte_mode) == sizeof(int), "enum size");
_Static_assert(sizeof(enum fp_parquet_codec) == sizeof(int), "enum size");
_Static_assert(sizeof(enum fp_kafka_key) == sizeof(int), "enum size");
_Static_assert(sizeof(enum fp_kafka_format) == sizeof(int), "enum size");

struct loader {
	const char *name;		/* the file, for messages */
	struct fpd_config *cfg;
	struct fp_error *err;
};

struct key;
struct section;

/* Reads value `v` of key `k` into `obj` (the struct the table's offsets
 * are into). `path` is the key's full path, for messages. */
typedef int (*key_fn)(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path, void *obj);

struct key {
	const char *name;
	key_fn read;
	size_t offset;			/* of the field in obj */
	bool required;
	uint64_t min, max;		/* counts; sizes (max only) */
	const struct fp_enum_name *names;	/* enums */
	const struct section *sub;	/* nested mappings */
};

struct section {
	const struct key *keys;
	/* After each key (settings judged as they come), or NULL. */
	int (*after_key)(struct loader *ld, const struct yw_node *v, const char *path, void *obj);
	/* Once all keys are read; `map` may be NULL (mapping absent) and
	 * `where` then stands for its position. Or NULL. */
	int (*check)(struct loader *ld, const struct yw_node *map, const struct yw_node *where, const char *path,
		     void *obj);
};

/* ------------------------------------------------------------ messages */

static void position(const struct yw_node *n, unsigned *line, unsigned *col)
{
	*line = n ? n->line : 1;
	*col = n ? n->col : 1;
}

/* Puts "FILE:LINE:COL: path: " in front of the message already in err. */
static int at(struct loader *ld, const struct yw_node *n, const char *path)
{
	unsigned line, col;

	position(n, &line, &col);
	if (path[0] == '\0')
		return fp_error_prefix(ld->err, "%s:%u:%u", ld->name, line, col);
	return fp_error_prefix(ld->err, "%s:%u:%u: %s", ld->name, line, col, path);
}

FP_PRINTF(4, 5)
static int fail(struct loader *ld, const struct yw_node *n, const char *path, const char *fmt, ...)
{
	char msg[FP_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fp_error_set(ld->err, "%s", msg);
	return at(ld, n, path);
}

static int want(struct loader *ld, const struct yw_node *v, enum yw_kind kind, const char *path)
{
	if (v->kind == kind)
		return 0;
	return fail(ld, v, path, "expected %s, found %s", yw_kind_name(kind), yw_kind_name(v->kind));
}

static void *field(void *obj, const struct key *k)
{
	return (char *)obj + k->offset;
}

/* Paths only label messages: a very long one is cut, not refused. */
static void join_path(char *out, const char *parent, const char *key)
{
	if (snprintf(out, PATH_MAX_LEN, "%s%s%s", parent, parent[0] ? "." : "", key) >= PATH_MAX_LEN)
		out[PATH_MAX_LEN - 1] = '\0';
}

static void item_path(char *out, const char *list, size_t i)
{
	if (snprintf(out, PATH_MAX_LEN, "%s[%zu]", list, i) >= PATH_MAX_LEN)
		out[PATH_MAX_LEN - 1] = '\0';
}

/* ------------------------------------------------------- plain values */

/* Replaces the string at *slot with a copy of `text` (NULL stays NULL). */
static int set_string(struct loader *ld, char **slot, const char *text, const struct yw_node *v, const char *path)
{
	char *copy = NULL;

	if (text != NULL && (copy = strdup(text)) == NULL)
		return fail(ld, v, path, "out of memory");
	free(*slot);
	*slot = copy;
	return 0;
}

/* Optional text: empty (or null) means unset. */
static int read_string(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path, void *obj)
{
	if (want(ld, v, YW_SCALAR, path) < 0)
		return -1;
	return set_string(ld, field(obj, k), yw_is_null(v) || v->text[0] == '\0' ? NULL : v->text, v, path);
}

static int read_required_string(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path,
				void *obj)
{
	if (want(ld, v, YW_SCALAR, path) < 0)
		return -1;
	if (yw_is_null(v) || v->text[0] == '\0')
		return fail(ld, v, path, "must not be empty");
	return set_string(ld, field(obj, k), v->text, v, path);
}

static int read_bool(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path, void *obj)
{
	if (want(ld, v, YW_SCALAR, path) < 0)
		return -1;
	if (fp_parse_bool(v->text, field(obj, k), ld->err) < 0)
		return at(ld, v, path);
	return 0;
}

static int read_duration(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path,
			 void *obj)
{
	if (want(ld, v, YW_SCALAR, path) < 0)
		return -1;
	if (fp_parse_duration_ns(v->text, field(obj, k), ld->err) < 0)
		return at(ld, v, path);
	return 0;
}

static int read_size(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path, void *obj)
{
	uint64_t n;

	if (want(ld, v, YW_SCALAR, path) < 0)
		return -1;
	if (fp_parse_size(v->text, &n, ld->err) < 0)
		return at(ld, v, path);
	if (n > k->max)
		return fail(ld, v, path, "'%.80s' is too large (at most %llu bytes)", v->text,
			    (unsigned long long)k->max);
	*(uint64_t *)field(obj, k) = n;
	return 0;
}

static int read_count(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path,
		      uint64_t *n)
{
	if (want(ld, v, YW_SCALAR, path) < 0)
		return -1;
	if (fp_parse_count(v->text, k->min, k->max, n, ld->err) < 0)
		return at(ld, v, path);
	return 0;
}

static int read_int(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path, void *obj)
{
	uint64_t n;

	if (read_count(ld, k, v, path, &n) < 0)
		return -1;
	*(int *)field(obj, k) = (int)n;		/* k->max fits an int */
	return 0;
}

static int read_size_t(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path,
		       void *obj)
{
	uint64_t n;

	if (read_count(ld, k, v, path, &n) < 0)
		return -1;
	*(size_t *)field(obj, k) = (size_t)n;
	return 0;
}

static int read_enum(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path, void *obj)
{
	if (want(ld, v, YW_SCALAR, path) < 0)
		return -1;
	if (fp_parse_enum(v->text, k->names, field(obj, k), ld->err) < 0)
		return at(ld, v, path);
	return 0;
}

/* ------------------------------------------------- the daemon's values */

static int read_interface_name(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path,
			       void *obj)
{
	if (want(ld, v, YW_SCALAR, path) < 0)
		return -1;
	if (fpd_check_interface_name(v->text, ld->err) < 0)
		return at(ld, v, path);
	return set_string(ld, field(obj, k), v->text, v, path);
}

static int read_filter(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path, void *obj)
{
	if (read_string(ld, k, v, path, obj) < 0)
		return -1;
	if (*(char **)field(obj, k) != NULL && fpd_check_filter(v->text, ld->err) < 0)
		return at(ld, v, path);
	return 0;
}

static int read_features(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path,
			 void *obj)
{
	if (want(ld, v, YW_SCALAR, path) < 0)
		return -1;
	char names[256];

	if (fp_feature_set_find(v->text) == NULL)
		return fail(ld, v, path, "'%.80s' is not a feature set (%s)", v->text,
			    fp_feature_set_names(names, sizeof(names)));
	return set_string(ld, field(obj, k), v->text, v, path);
}

static int read_rotate(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path, void *obj)
{
	if (read_duration(ld, k, v, path, obj) < 0)
		return -1;
	if (fpd_check_rotate(*(int64_t *)field(obj, k), v->text, ld->err) < 0)
		return at(ld, v, path);
	return 0;
}

/* The address alone; whether it may be remote is judged with
 * metrics.allow_remote, which may come after it (check_metrics()). */
static int read_listen(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path, void *obj)
{
	struct fpd_listen_addr a;

	if (read_string(ld, k, v, path, obj) < 0)
		return -1;
	if (*(char **)field(obj, k) != NULL && fpd_listen_parse(v->text, &a, ld->err) < 0)
		return at(ld, v, path);
	return 0;
}

/* output.formats: a non-empty list of format names, each once. */
static int read_formats(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path,
			void *obj)
{
	char item[PATH_MAX_LEN];
	unsigned bits = 0;
	size_t i = 0;

	if (yw_is_null(v))
		return fail(ld, v, path, "name at least one format (%s)", FP_FORMAT_NAMES);
	if (want(ld, v, YW_LIST, path) < 0)
		return -1;
	if (v->count == 0)
		return fail(ld, v, path, "name at least one format (%s)", FP_FORMAT_NAMES);
	for (const struct yw_node *f = v->child; f != NULL; f = f->next, i++) {
		int fmt;

		item_path(item, path, i);
		if (want(ld, f, YW_SCALAR, item) < 0)
			return -1;
		if ((fmt = fp_format_parse(f->text)) < 0)
			return fail(ld, f, item, "'%.80s' is not one of %s", f->text, FP_FORMAT_NAMES);
		if (bits & (1u << fmt))
			return fail(ld, f, item, "'%.80s' is listed twice", f->text);
		bits |= 1u << fmt;
	}
	*(unsigned *)field(obj, k) = bits;
	return 0;
}

/* ------------------------------------------------------------ mappings */

static int walk_mapping(struct loader *ld, const struct section *s, const struct yw_node *map,
			const struct yw_node *where, const char *path, void *obj);

static int read_section(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path, void *obj)
{
	if (yw_is_null(v))		/* "flow:" with nothing under it: all defaults */
		return walk_mapping(ld, k->sub, NULL, v, path, obj);
	if (want(ld, v, YW_MAPPING, path) < 0)
		return -1;
	return walk_mapping(ld, k->sub, v, v, path, obj);
}

static const struct key *find_key(const struct section *s, const char *name)
{
	for (const struct key *k = s->keys; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static int unknown_key(struct loader *ld, const struct section *s, const struct yw_node *key, const char *path)
{
	char valid[FP_ERROR_MAX / 2] = "";
	size_t len = 0;

	for (const struct key *k = s->keys; k->name != NULL && len < sizeof(valid); k++)
		len += (size_t)snprintf(valid + len, sizeof(valid) - len, "%s%s", len ? ", " : "", k->name);
	return fail(ld, key, path, "unknown key (valid keys: %s)", valid);
}

/* One key: value pair of a mapping; seen[] holds the key nodes read. */
static int walk_pair(struct loader *ld, const struct section *s, const struct yw_node *key,
		     const struct yw_node *value, const char *path, const struct yw_node **seen, void *obj)
{
	char child[PATH_MAX_LEN];
	const struct key *k;

	if (key->kind != YW_SCALAR)
		return fail(ld, key, path[0] ? path : "top level", "a key must be a scalar, not %s",
			    yw_kind_name(key->kind));
	join_path(child, path, key->text);
	if ((k = find_key(s, key->text)) == NULL)
		return unknown_key(ld, s, key, child);
	if (seen[k - s->keys] != NULL)
		return fail(ld, key, child, "duplicate key (first at line %u, column %u)", seen[k - s->keys]->line,
			    seen[k - s->keys]->col);
	seen[k - s->keys] = key;
	if (k->read(ld, k, value, child, obj) < 0)
		return -1;
	return s->after_key ? s->after_key(ld, value, child, obj) : 0;
}

/* What a mapping leaves out: required keys are errors at the mapping (or
 * where it would be), absent sub-mappings are walked empty so that their
 * own required keys and checks still run. */
static int walk_missing(struct loader *ld, const struct section *s, const struct yw_node *where, const char *path,
			const struct yw_node **seen, void *obj)
{
	char child[PATH_MAX_LEN];

	for (const struct key *k = s->keys; k->name != NULL; k++) {
		if (seen[k - s->keys] != NULL)
			continue;
		join_path(child, path, k->name);
		if (k->required)
			return fail(ld, where, child, "required key is missing");
		if (k->sub != NULL && walk_mapping(ld, k->sub, NULL, where, child, obj) < 0)
			return -1;
	}
	return 0;
}

static int walk_mapping(struct loader *ld, const struct section *s, const struct yw_node *map,
			const struct yw_node *where, const char *path, void *obj)
{
	const struct yw_node *seen[MAX_KEYS] = { NULL };

	for (const struct yw_node *key = map ? map->child : NULL; key != NULL; key = key->next->next)
		if (walk_pair(ld, s, key, key->next, path, seen, obj) < 0)
			return -1;
	if (walk_missing(ld, s, map ? map : where, path, seen, obj) < 0)
		return -1;
	return s->check ? s->check(ld, map, map ? map : where, path, obj) : 0;
}

/* ---------------------------------------------------------- interfaces */

#define IFACE(f) offsetof(struct fpd_interface_config, f)

static const struct key interface_keys[] = {
	{ .name = "name", .read = read_interface_name, .offset = IFACE(name), .required = true },
	{ .name = "filter", .read = read_filter, .offset = IFACE(filter) },
	{ .name = "snaplen", .read = read_int, .offset = IFACE(snaplen), .min = 64, .max = 262144 },
	{ .name = "promiscuous", .read = read_bool, .offset = IFACE(promiscuous) },
	/* libpcap takes the buffer size as an int */
	{ .name = "buffer_size", .read = read_size, .offset = IFACE(buffer_size), .max = INT_MAX },
	{ .name = "immediate", .read = read_bool, .offset = IFACE(immediate) },
	{ .name = NULL },
};

static const struct section interface_section = { interface_keys, NULL, NULL };

/* Two captures of one interface would meter every packet twice. */
static int check_unique_name(struct loader *ld, const struct fpd_config *c, size_t i, const struct yw_node *item,
			     const char *path)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(c->interfaces[j].name, c->interfaces[i].name) == 0) {
			char name_path[PATH_MAX_LEN];

			join_path(name_path, path, "name");
			return fail(ld, yw_get(item, "name"), name_path, "interface '%s' is already configured "
				    "(interfaces[%zu])", c->interfaces[i].name, j);
		}
	return 0;
}

static int read_interfaces(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path,
			   void *obj)
{
	struct fpd_config *c = obj;
	char ipath[PATH_MAX_LEN];
	size_t i = 0;

	if (yw_is_null(v))		/* "interfaces:" alone: spool only */
		return 0;
	if (want(ld, v, YW_LIST, path) < 0)
		return -1;
	if (v->count == 0)
		return 0;
	c->interfaces = calloc(v->count, sizeof(*c->interfaces));
	if (c->interfaces == NULL)
		return fail(ld, v, path, "out of memory");
	for (const struct yw_node *item = v->child; item != NULL; item = item->next, i++) {
		item_path(ipath, path, i);
		fpd_interface_config_defaults(&c->interfaces[i]);
		c->ninterfaces = i + 1;		/* from here on freed with the config */
		if (want(ld, item, YW_MAPPING, ipath) < 0 ||
		    walk_mapping(ld, &interface_section, item, item, ipath, &c->interfaces[i]) < 0 ||
		    check_unique_name(ld, c, i, item, ipath) < 0)
			return -1;
	}
	return 0;
}

/* ----------------------------------------------------------------- flow */

#define CFG(f) offsetof(struct fpd_config, f)

/* The TCP close linger has no key: its default yields to a shorter idle
 * timeout (a linger may not outlast it), as with the CLI's options. */
static void clamp_linger(struct fp_flow_config *f)
{
	struct fp_flow_config d;

	fp_flow_config_defaults(&d);
	f->tcp_close_linger_ns = d.tcp_close_linger_ns < f->idle_timeout_ns ? d.tcp_close_linger_ns
									      : f->idle_timeout_ns;
}

/* Judged after every key, so a refusal points at the key that caused it. */
static int flow_after_key(struct loader *ld, const struct yw_node *v, const char *path, void *obj)
{
	struct fpd_config *c = obj;

	clamp_linger(&c->flow);
	if (fp_flow_config_validate(&c->flow, ld->err) < 0)
		return at(ld, v, path);
	return 0;
}

static int check_flow(struct loader *ld, const struct yw_node *map, const struct yw_node *where, const char *path,
		      void *obj)
{
	struct fpd_config *c = obj;

	if (fp_flow_config_validate(&c->flow, ld->err) < 0)
		return at(ld, where, path);
	return 0;
}

static const struct key flow_keys[] = {
	{ .name = "idle_timeout", .read = read_duration, .offset = CFG(flow.idle_timeout_ns) },
	{ .name = "active_timeout", .read = read_duration, .offset = CFG(flow.active_timeout_ns) },
	{ .name = "max_flows", .read = read_size_t, .offset = CFG(flow.max_flows),
	  .min = 0, .max = FP_FLOW_MAX_FLOWS_LIMIT },
	{ .name = "tcp_close", .read = read_bool, .offset = CFG(flow.tcp_close) },
	{ .name = "bytes", .read = read_enum, .offset = CFG(flow.byte_mode), .names = fp_byte_mode_names },
	{ .name = "features", .read = read_features, .offset = CFG(features) },
	{ .name = NULL },
};

static const struct section flow_section = { flow_keys, flow_after_key, check_flow };

/* ---------------------------------------------------- spool and output */

static const struct fp_enum_name spool_after_names[] = {
	{ "move", FP_SPOOL_MOVE },
	{ "delete", FP_SPOOL_DELETE },
	{ NULL, 0 },
};

static const struct key spool_keys[] = {
	{ .name = "directory", .read = read_string, .offset = CFG(spool.directory) },
	{ .name = "after", .read = read_enum, .offset = CFG(spool.after), .names = spool_after_names },
	{ .name = NULL },
};

static const struct section spool_section = { spool_keys, NULL, NULL };

static int check_output(struct loader *ld, const struct yw_node *map, const struct yw_node *where, const char *path,
			void *obj)
{
	struct fpd_config *c = obj;
	const struct yw_node *compression = yw_get(map, "compression");
	char child[PATH_MAX_LEN];

	join_path(child, path, "compression");
	if (fp_parquet_write_options_validate(&c->output.format.parquet, ld->err) < 0)
		return at(ld, compression ? compression : where, child);
	return 0;
}

static const struct key output_keys[] = {
	{ .name = "directory", .read = read_required_string, .offset = CFG(output.directory), .required = true },
	{ .name = "formats", .read = read_formats, .offset = CFG(output.formats) },
	{ .name = "rotate", .read = read_rotate, .offset = CFG(output.rotate_ns) },
	{ .name = "compression", .read = read_enum, .offset = CFG(output.format.parquet.codec),
	  .names = fp_parquet_writer_codec_names },
	{ .name = NULL },
};

static const struct section output_section = { output_keys, NULL, check_output };

/* -------------------------------------------------------------- metrics */

/* Metrics tell anyone who can connect what the sensor sees: other hosts
 * only when asked for in so many words. */
static int check_metrics(struct loader *ld, const struct yw_node *map, const struct yw_node *where,
			 const char *path, void *obj)
{
	struct fpd_config *c = obj;
	struct fpd_listen_addr a;
	char child[PATH_MAX_LEN];

	if (c->metrics.listen == NULL || c->metrics.allow_remote)
		return 0;
	join_path(child, path, "listen");
	if (fpd_listen_parse(c->metrics.listen, &a, ld->err) < 0)
		return at(ld, yw_get(map, "listen"), child);
	if (!a.loopback)
		return fail(ld, yw_get(map, "listen"), child, "'%.80s' is not a loopback address; metrics are "
			    "served to other hosts only with metrics.allow_remote: true", c->metrics.listen);
	return 0;
}

static const struct key metrics_keys[] = {
	{ .name = "listen", .read = read_listen, .offset = CFG(metrics.listen) },
	{ .name = "allow_remote", .read = read_bool, .offset = CFG(metrics.allow_remote) },
	{ .name = NULL },
};

static const struct section metrics_section = { metrics_keys, NULL, check_metrics };

/* ---------------------------------------------------------------- kafka */

/* One property, judged by librdkafka alone (on a probe with placeholder
 * brokers and topic), so its refusal points at the property's value. */
static int check_kafka_property(struct loader *ld, const struct yw_node *v, const char *path, const char *name)
{
	struct fp_kafka_options probe;
	struct fp_kafka_property one = { (char *)name, v->text };

	fp_kafka_options_defaults(&probe);
	probe.brokers = (char *)"localhost";
	probe.topic = (char *)"probe";
	probe.properties = &one;
	probe.nproperties = 1;
	if (fp_kafka_options_check(&probe, ld->err) < 0)
		return at(ld, v, path);
	return 0;
}

/* properties: a map of scalars, in the file's order. */
static int read_kafka_properties(struct loader *ld, const struct key *k, const struct yw_node *v, const char *path,
				 void *obj)
{
	struct fpd_config *c = obj;
	char child[PATH_MAX_LEN];

	if (yw_is_null(v))
		return 0;
	if (want(ld, v, YW_MAPPING, path) < 0)
		return -1;
	for (const struct yw_node *key = v->child; key != NULL; key = key->next->next) {
		const struct yw_node *value = key->next;

		join_path(child, path, key->kind == YW_SCALAR ? key->text : "?");
		if (want(ld, key, YW_SCALAR, child) < 0 || want(ld, value, YW_SCALAR, child) < 0 ||
		    check_kafka_property(ld, value, child, key->text) < 0)
			return -1;
		if (fp_kafka_options_add_property(&c->kafka, key->text, value->text, ld->err) < 0)
			return at(ld, value, child);
	}
	return 0;
}

/* brokers and topic are required only when the section is there: an
 * absent kafka: means no Kafka. */
static int check_kafka(struct loader *ld, const struct yw_node *map, const struct yw_node *where, const char *path,
		       void *obj)
{
	struct fpd_config *c = obj;
	char child[PATH_MAX_LEN];

	c->kafka_enabled = map != NULL;
	if (map == NULL)
		return 0;
	if (c->kafka.brokers == NULL) {
		join_path(child, path, "brokers");
		return fail(ld, map, child, "required key is missing");
	}
	if (c->kafka.topic == NULL) {
		join_path(child, path, "topic");
		return fail(ld, map, child, "required key is missing");
	}
	if (fp_kafka_options_check(&c->kafka, ld->err) < 0)
		return at(ld, map, path);
	return 0;
}

static const struct key kafka_keys[] = {
	{ .name = "brokers", .read = read_required_string, .offset = CFG(kafka.brokers) },
	{ .name = "topic", .read = read_required_string, .offset = CFG(kafka.topic) },
	{ .name = "key", .read = read_enum, .offset = CFG(kafka.key), .names = fp_kafka_key_names },
	{ .name = "format", .read = read_enum, .offset = CFG(kafka.format), .names = fp_kafka_format_names },
	{ .name = "properties", .read = read_kafka_properties, .offset = 0 },
	{ .name = "flush_timeout", .read = read_duration, .offset = CFG(kafka.flush_timeout_ns) },
	{ .name = NULL },
};

static const struct section kafka_section = { kafka_keys, NULL, check_kafka };

/* ------------------------------------------------------------ the file */

static const struct key top_keys[] = {
	{ .name = "interfaces", .read = read_interfaces, .offset = 0 },
	{ .name = "spool", .read = read_section, .offset = 0, .sub = &spool_section },
	{ .name = "flow", .read = read_section, .offset = 0, .sub = &flow_section },
	{ .name = "output", .read = read_section, .offset = 0, .sub = &output_section },
	{ .name = "metrics", .read = read_section, .offset = 0, .sub = &metrics_section },
	{ .name = "kafka", .read = read_section, .offset = 0, .sub = &kafka_section },
	{ .name = NULL },
};

static const struct section top_section = { top_keys, NULL, NULL };

void fpd_interface_config_defaults(struct fpd_interface_config *i)
{
	memset(i, 0, sizeof(*i));
	i->snaplen = 262144;
	i->promiscuous = true;
	i->buffer_size = 16 * MIB;
	i->immediate = false;
}

void fpd_config_defaults(struct fpd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->spool.after = FP_SPOOL_MOVE;
	fp_flow_config_defaults(&c->flow);
	c->flow.max_flows = FPD_DEFAULT_MAX_FLOWS;
	c->features = strdup("canonical");	/* NULL if out of memory: the loader refuses that */
	c->output.formats = 1u << FP_FORMAT_PARQUET;
	c->output.rotate_ns = 3600 * 1000000000LL;
	fp_format_options_defaults(&c->output.format);
	fp_kafka_options_defaults(&c->kafka);
}

void fpd_config_free(struct fpd_config *c)
{
	for (size_t i = 0; i < c->ninterfaces; i++) {
		free(c->interfaces[i].name);
		free(c->interfaces[i].filter);
	}
	free(c->interfaces);
	free(c->path);
	free(c->spool.directory);
	free(c->features);
	free(c->output.directory);
	free(c->metrics.listen);
	fp_kafka_options_free(&c->kafka);
	memset(c, 0, sizeof(*c));
}

static int walk_root(struct loader *ld, const struct yw_node *root)
{
	if (root != NULL && !yw_is_null(root)) {
		if (want(ld, root, YW_MAPPING, "") < 0)
			return -1;
		return walk_mapping(ld, &top_section, root, root, "", ld->cfg);
	}
	return walk_mapping(ld, &top_section, NULL, NULL, "", ld->cfg);	/* empty: all defaults */
}

int fpd_config_parse(const char *text, size_t len, const char *name, struct fpd_config *out, struct fp_error *err)
{
	struct fpd_config c;
	struct loader ld = { name, &c, err };
	struct yw_node *root;
	int rc;

	memset(out, 0, sizeof(*out));
	if (yw_load(text, len, name, &root, err) < 0)
		return -1;
	fpd_config_defaults(&c);
	c.path = strdup(name);
	if (c.path == NULL || c.features == NULL)
		rc = fp_error_set(err, "%s: out of memory", name);
	else
		rc = walk_root(&ld, root);
	yw_free(root);
	if (rc < 0) {
		fpd_config_free(&c);
		return -1;
	}
	*out = c;
	return 0;
}

/* The whole file, at most YW_MAX_BYTES + 1 bytes of it (one more than
 * allowed, so yw_load() can say it is too large). */
static char *read_file(const char *path, size_t *len, struct fp_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf;

	*len = 0;
	if (fd < 0)
		return fp_error_errno(err, "%s: cannot read", path), NULL;
	buf = malloc(YW_MAX_BYTES + 1);
	if (buf == NULL) {
		close(fd);
		return fp_error_set(err, "%s: out of memory", path), NULL;
	}
	while (*len < YW_MAX_BYTES + 1) {
		ssize_t n = read(fd, buf + *len, YW_MAX_BYTES + 1 - *len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fp_error_errno(err, "%s: cannot read", path);
			free(buf);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	close(fd);
	return buf;
}

int fpd_config_load(const char *path, struct fpd_config *out, struct fp_error *err)
{
	size_t len;
	char *text = read_file(path, &len, err);
	int rc;

	if (text == NULL) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	rc = fpd_config_parse(text, len, path, out, err);
	free(text);
	return rc;
}
