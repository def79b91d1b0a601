/*
 * format-registry.c - format names, file extensions and writers in one
 * table, so adding a format is one row here plus its writer.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "format/format-writer.h"

struct format_entry {
	enum fp_format format;
	const char *name;		/* what fp_format_name() says */
	const char *alias;		/* also accepted by fp_format_parse(), or NULL */
	const char *extensions[3];	/* first: for new files; NULL-terminated */
	const struct fp_format_writer_ops *ops;
};

static const struct format_entry formats[] = {
	{ FP_FORMAT_CSV, "csv", NULL, { "csv", NULL }, &fp_csv_format_writer_ops },
	{ FP_FORMAT_PARQUET, "parquet", NULL, { "parquet", "pq", NULL }, &fp_parquet_format_writer_ops },
	{ FP_FORMAT_JSONL, "jsonl", "ndjson", { "jsonl", "ndjson", NULL }, &fp_jsonl_format_writer_ops },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static const struct format_entry *entry_of(enum fp_format f)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i].format == f)
			return &formats[i];
	return NULL;
}

int fp_format_parse(const char *name)
{
	for (size_t i = 0; i < NFORMATS; i++)
		if (strcasecmp(name, formats[i].name) == 0 ||
		    (formats[i].alias != NULL && strcasecmp(name, formats[i].alias) == 0))
			return (int)formats[i].format;
	return -1;
}

enum fp_format fp_format_from_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return FP_FORMAT_AUTO;
	for (size_t i = 0; i < NFORMATS; i++)
		for (const char *const *ext = formats[i].extensions; *ext != NULL; ext++)
			if (strcasecmp(dot + 1, *ext) == 0)
				return formats[i].format;
	return FP_FORMAT_AUTO;
}

const char *fp_format_name(enum fp_format f)
{
	const struct format_entry *e = entry_of(f);

	return e ? e->name : "auto";
}

const char *fp_format_extension(enum fp_format f)
{
	const struct format_entry *e = entry_of(f);

	return e ? e->extensions[0] : "";
}

void fp_format_options_defaults(struct fp_format_options *o)
{
	memset(o, 0, sizeof(*o));
	o->format = FP_FORMAT_AUTO;
	fp_parquet_write_options_defaults(&o->parquet);
}

const struct fp_format_writer_ops *fp_format_writer_ops(enum fp_format format)
{
	const struct format_entry *e = entry_of(format);

	return e ? e->ops : NULL;
}

size_t fp_format_rows_held(const struct fp_format_options *opts, const struct fp_schema *schema)
{
	return opts->format == FP_FORMAT_PARQUET ? fp_parquet_row_group_rows(&opts->parquet, schema) : 0;
}

struct fp_format_writer *fp_format_writer_open(FILE *out, const char *name, const struct fp_schema *schema,
					       const struct fp_format_options *opts, struct fp_error *err)
{
	const struct fp_format_writer_ops *ops = fp_format_writer_ops(opts->format);

	if (ops == NULL) {
		fp_error_set(err, "%s: no output format chosen (%s)", name, FP_FORMAT_NAMES);
		return NULL;
	}
	return ops->open(out, name, schema, opts, err);
}
