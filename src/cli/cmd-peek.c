/*
 * cmd-peek.c - `flowprep peek FILE [-n N] [--schema]`: the first rows of
 * any Parquet or CSV file as an aligned table, or its schema.
 *
 * The table is drawn with box characters like DuckDB's shell: a header
 * with each column's name and type, numbers right-aligned, text cut at 40
 * columns, and a footer with the rows shown out of the total.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cell-text.h"
#include "cli/cli.h"
#include "format/table-reader.h"
#include "lib/log.h"

#define CELL_BYTES 256

struct cell_grid {
	size_t nrows, ncols;
	char *text;		/* nrows * ncols cells of CELL_BYTES */
	size_t *width;		/* per column */
};

static char *grid_cell(struct cell_grid *g, size_t row, size_t col)
{
	return g->text + (row * g->ncols + col) * CELL_BYTES;
}

static void peek_usage(FILE *out)
{
	fprintf(out,
		"Usage: flowprep peek [OPTIONS] FILE\n"
		"\n"
		"Show the first rows of a Parquet or CSV file (written by flowprep or any other\n"
		"tool) as a table.\n"
		"\n"
		"Options:\n"
		"  -n, --rows N   rows to show (default 20)\n"
		"  -s, --schema   show columns, types, row count, row groups and codecs instead\n"
		"  -h, --help     this help\n");
}

static bool right_aligned(enum fp_type t)
{
	return t == FP_TYPE_INT32 || t == FP_TYPE_INT64 || t == FP_TYPE_DOUBLE;
}

static void rule(const struct cell_grid *g, const char *left, const char *mid, const char *right)
{
	fputs(left, stdout);
	for (size_t c = 0; c < g->ncols; c++) {
		for (size_t i = 0; i < g->width[c] + 2; i++)
			fputs("\xe2\x94\x80", stdout);
		fputs(c + 1 < g->ncols ? mid : right, stdout);
	}
	fputc('\n', stdout);
}

static void row_line(const struct cell_grid *g, char **cells, const struct fp_schema *s, bool header)
{
	fputs("\xe2\x94\x82", stdout);
	for (size_t c = 0; c < g->ncols; c++) {
		size_t pad = g->width[c] - display_width(cells[c]);
		bool right = !header && right_aligned(s->fields[c].type);
		printf(" %*s%s%*s \xe2\x94\x82", right ? (int)pad : 0, "", cells[c], right ? 0 : (int)pad, "");
	}
	fputc('\n', stdout);
}

static void draw_table(struct cell_grid *g, const struct fp_schema *s, const char *footer)
{
	char **cells = calloc(g->ncols, sizeof(*cells));
	char (*types)[48] = calloc(g->ncols, sizeof(*types));

	if (cells == NULL || types == NULL) {
		free(cells);
		free(types);
		return;
	}
	for (size_t c = 0; c < g->ncols; c++) {
		fp_field_type_text(&s->fields[c], types[c], sizeof(types[c]));
		size_t w = display_width(s->fields[c].name);
		if (display_width(types[c]) > w)
			w = display_width(types[c]);
		if (w > g->width[c])
			g->width[c] = w;
	}
	rule(g, "\xe2\x94\x8c", "\xe2\x94\xac", "\xe2\x94\x90");
	for (size_t c = 0; c < g->ncols; c++)
		cells[c] = s->fields[c].name;
	row_line(g, cells, s, true);
	for (size_t c = 0; c < g->ncols; c++)
		cells[c] = types[c];
	row_line(g, cells, s, true);
	rule(g, "\xe2\x94\x9c", "\xe2\x94\xbc", "\xe2\x94\xa4");
	for (size_t r = 0; r < g->nrows; r++) {
		for (size_t c = 0; c < g->ncols; c++)
			cells[c] = grid_cell(g, r, c);
		row_line(g, cells, s, false);
	}
	rule(g, "\xe2\x94\x94", "\xe2\x94\xb4", "\xe2\x94\x98");
	printf("%s\n", footer);
	free(cells);
	free(types);
}

/* Reads up to `want` rows into the grid as text. */
static int read_rows(struct fp_table_reader *t, size_t want, struct cell_grid *g, struct fp_error *err)
{
	const struct fp_schema *s = fp_table_schema(t);
	struct fp_batch *b = fp_batch_new(s, want < 4096 ? (want ? want : 1) : 4096);
	long n = 0;

	g->ncols = s->nfields;
	g->width = calloc(g->ncols ? g->ncols : 1, sizeof(*g->width));
	g->text = calloc((want ? want : 1) * (g->ncols ? g->ncols : 1), CELL_BYTES);
	if (b == NULL || g->width == NULL || g->text == NULL) {
		fp_batch_free(b);
		return fp_error_set(err, "out of memory");
	}
	while (g->nrows < want && (n = fp_table_next(t, b, err)) > 0) {
		for (size_t r = 0; r < (size_t)n && g->nrows < want; r++, g->nrows++) {
			for (size_t c = 0; c < g->ncols; c++) {
				size_t w = cell_text(b, c, r, grid_cell(g, g->nrows, c), CELL_BYTES);
				if (w > g->width[c])
					g->width[c] = w;
			}
		}
	}
	fp_batch_free(b);
	return n < 0 ? -1 : 0;
}

static void print_parquet_schema(const char *path, struct fp_parquet_reader *pr)
{
	const struct fp_parquet_file_info *info = fp_parquet_reader_info(pr);
	char rows[32], codecs[128] = "";
	size_t o = 0;

	for (int c = 0; c < 32; c++)
		if (info->codecs_used & (1u << c))
			o += (size_t)snprintf(codecs + o, sizeof(codecs) - o, "%s%s", o ? ", " : "",
					      fp_parquet_codec_name(c));
	printf("%s: Parquet, created by %s\n", path, info->created_by[0] ? info->created_by : "(unknown)");
	printf("rows: %s   row groups: %zu   columns: %zu   codecs: %s\n\n",
	       format_thousands((uint64_t)info->num_rows, rows, sizeof(rows)), info->num_row_groups,
	       info->num_columns, o ? codecs : "(none)");
	printf("%-32s %-12s %-26s %s\n", "column", "physical", "logical", "nullable");
	for (size_t i = 0; i < info->num_columns; i++) {
		const struct fp_parquet_column_info *ci = fp_parquet_reader_column(pr, i);
		printf("%-32s %-12s %-26s %s%s\n", ci->name, ci->physical, ci->logical[0] ? ci->logical : "-",
		       ci->nullable ? "yes" : "no", ci->supported ? "" : "   (not supported: nested)");
	}
}

static int print_csv_schema(const char *path, struct fp_table_reader *t, struct fp_error *err)
{
	const struct fp_schema *s = fp_table_schema(t);
	struct fp_batch *b = fp_batch_new(s, 8192);
	uint64_t rows = 0;
	long n;
	char text[48], count[32];

	if (b == NULL)
		return fp_error_set(err, "out of memory");
	while ((n = fp_table_next(t, b, err)) > 0)
		rows += (uint64_t)n;
	fp_batch_free(b);
	if (n < 0)
		return -1;
	printf("%s: CSV\nrows: %s   columns: %zu (types inferred from the data)\n\n", path,
	       format_thousands(rows, count, sizeof(count)), s->nfields);
	printf("%-32s %s\n", "column", "type");
	for (size_t i = 0; i < s->nfields; i++) {
		fp_field_type_text(&s->fields[i], text, sizeof(text));
		printf("%-32s %s\n", s->fields[i].name, text);
	}
	return 0;
}

static int peek_file(const char *path, size_t nrows, bool schema_only)
{
	struct fp_error err = { "" };
	struct fp_table_reader *t = fp_table_open(path, &err);
	struct cell_grid g = { 0 };
	char footer[128], a[32], b[32];
	int rc = 0;

	if (t == NULL) {
		fp_log_err("%s", err.msg);
		return FP_EXIT_FAILURE;
	}
	if (schema_only) {
		if (fp_table_parquet(t))
			print_parquet_schema(path, fp_table_parquet(t));
		else
			rc = print_csv_schema(path, t, &err);
	} else {
		rc = read_rows(t, nrows, &g, &err);
		if (fp_table_parquet(t))
			snprintf(footer, sizeof(footer), "%s of %s rows, %zu columns",
				 format_thousands(g.nrows, a, sizeof(a)),
				 format_thousands((uint64_t)fp_parquet_reader_info(fp_table_parquet(t))->num_rows, b,
						  sizeof(b)),
				 g.ncols);
		else
			snprintf(footer, sizeof(footer), "first %s rows, %zu columns",
				 format_thousands(g.nrows, a, sizeof(a)), g.ncols);
		draw_table(&g, fp_table_schema(t), footer);
	}
	if (rc < 0)
		fp_log_err("%s", err.msg);
	free(g.text);
	free(g.width);
	fp_table_close(t);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fp_log_err("peek: cannot write to standard output");
		return FP_EXIT_FAILURE;
	}
	return rc < 0 ? FP_EXIT_FAILURE : FP_EXIT_OK;
}

int cmd_peek(int argc, char **argv)
{
	static const struct option options[] = {
		{ "rows", required_argument, NULL, 'n' },
		{ "schema", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t nrows = 20;
	bool schema_only = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:sh", options, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_count(optarg, &nrows) < 0 || nrows > 100000) {
				fp_log_err("peek: invalid value '%s' for -n (expected 0 to 100000)", optarg);
				return FP_EXIT_FAILURE;
			}
			break;
		case 's':
			schema_only = true;
			break;
		case 'h':
			peek_usage(stdout);
			return FP_EXIT_OK;
		default:
			fprintf(stderr, "Try 'flowprep peek --help'.\n");
			return FP_EXIT_FAILURE;
		}
	}
	if (argc - optind != 1) {
		fp_log_err("peek: need exactly one FILE (try flowprep peek --help)");
		return FP_EXIT_FAILURE;
	}
	return peek_file(argv[optind], (size_t)nrows, schema_only);
}
