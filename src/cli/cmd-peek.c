/*
 * cmd-peek.c - `flowprep peek FILE`: the first (or last) rows of any
 * Parquet or CSV file as a table that fits the terminal, or its schema.
 *
 * The table is drawn by peek-table.c; this file holds the options, the
 * schema listings and the exit statuses: 0 shown; 1 usage error or a file
 * that cannot be opened; 2 the file is not a table flowprep reads, or it
 * is corrupt (the error names the file and the position; no empty table
 * is drawn before it).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/peek-table.h"
#include "format/table-reader.h"
#include "lib/log.h"
#include "lib/parse-value.h"

static void peek_usage(FILE *out)
{
	fprintf(out,
		"Usage: flowprep peek [OPTIONS] FILE\n"
		"\n"
		"Show the first rows of a Parquet or CSV file (written by flowprep or any other\n"
		"tool) as a table. FILE may be - or a pipe (/dev/stdin, <(zcat x.csv.gz)). On a\n"
		"terminal, columns that do not fit are left out with a " "\xe2\x80\xa6" " column; text\n"
		"longer than 40 columns is cut.\n"
		"\n"
		"Options:\n"
		"  -n, --rows N          rows to show (default 20; 'all' for every row)\n"
		"  -t, --tail N          show the last N rows instead\n"
		"  -c, --columns A,B,C   only these columns, in this order\n"
		"  -v, --vertical        one block per row, a line per column (wide tables)\n"
		"  -d, --delimiter C     CSV delimiter (default: detected among , ; tab |;\n"
		"                        'tab' or '\\t' for a tab)\n"
		"  -s, --schema          show columns, types, row count, row groups and codecs instead\n"
		"  -V, --version         print the version\n"
		"  -h, --help            this help\n"
		"\n"
		"The terminal's width is taken from COLUMNS or the terminal; when the output is\n"
		"not a terminal and COLUMNS is not set, every column is shown.\n"
		"\n"
		"Exit status: 0 shown; 1 usage error or FILE cannot be opened; 2 FILE is not a\n"
		"table flowprep reads (JSON lines, Zeek logs are named) or is corrupt.\n"
		"\n"
		"Examples:\n"
		"  flowprep peek flows.parquet\n"
		"  flowprep peek --schema flows.parquet\n"
		"  flowprep peek -n all --columns src_ip,dest_ip,fwd_bytes flows.csv\n"
		"  flowprep peek --tail 5 --vertical flows.csv\n"
		"  zcat flows.csv.gz | flowprep peek -\n");
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

/* Counts the rows with a batch of at most ~1M cells, so a 100,000-column
 * file does not need gigabytes; nothing is printed before the count is
 * known (a corrupt file prints only its error). */
static int print_csv_schema(const char *path, struct fp_table_reader *t, struct fp_error *err)
{
	const struct fp_schema *s = fp_table_schema(t);
	size_t per = (1u << 20) / (s->nfields ? s->nfields : 1);
	struct fp_batch *b = fp_batch_new(s, per < 1 ? 1 : per > 8192 ? 8192 : per);
	uint64_t rows = 0;
	long n;
	char text[48], count[32], d = fp_table_delimiter(t);

	if (b == NULL)
		return fp_error_set(err, "out of memory");
	while ((n = fp_table_next(t, b, err)) > 0)
		rows += (uint64_t)n;
	fp_batch_free(b);
	if (n < 0)
		return -1;
	printf("%s: CSV%s\nrows: %s   columns: %zu (types inferred from the data)\n\n", path,
	       d == ',' ? "" : d == '\t' ? " (tab-separated)" : d == ';' ? " (;-separated)" : d == '|' ? " (|-separated)" : "",
	       format_thousands(rows, count, sizeof(count)), s->nfields);
	printf("%-32s %s\n", "column", "type");
	for (size_t i = 0; i < s->nfields; i++) {
		fp_field_type_text(&s->fields[i], text, sizeof(text));
		printf("%-32.*s %s\n", 200, s->fields[i].name, text);
	}
	return 0;
}

/* COLUMNS if set, else the terminal's width if stdout is one, else 0. */
static size_t terminal_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;

	if (env && atoi(env) > 0)
		return (size_t)atoi(env);
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

struct peek_args {
	struct peek_options show;
	struct fp_table_open_options open;
	bool schema_only;
};

static int peek_file(const char *path, struct peek_args *a)
{
	struct fp_error err = { "" };
	struct fp_table_reader *t;
	bool printed = false;
	int rc = 0;

	if (strcmp(path, "-") != 0 && access(path, R_OK) != 0) {
		fp_log_err("%s: %s", path, strerror(errno));
		return FP_EXIT_FAILURE;
	}
	if ((t = fp_table_open_with(path, &a->open, &err)) == NULL) {
		fp_log_err("%s", err.msg);
		return FP_EXIT_INPUT_ERRORS;
	}
	if (a->schema_only && fp_table_parquet(t))
		print_parquet_schema(path, fp_table_parquet(t));
	else if (a->schema_only)
		rc = print_csv_schema(path, t, &err) < 0 ? 2 : 0;
	else
		rc = peek_table(t, &a->show, &printed, &err);
	fp_table_close(t);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fp_log_err("cannot write to standard output");
		return FP_EXIT_FAILURE;
	}
	if (rc != 0)
		fp_log_err("%s", err.msg);
	return rc == 1 ? FP_EXIT_FAILURE : rc == 2 ? FP_EXIT_INPUT_ERRORS : FP_EXIT_OK;
}

static int parse_rows(const char *arg, const char *option, uint64_t *out)
{
	struct fp_error err = { "" };

	if (strcmp(arg, "all") == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	if (parse_count(arg, out) < 0 || *out > 100000000) {
		(void)err;
		fp_log_err("invalid value '%s' for %s (expected 0 to 100000000, or all)", arg, option);
		return -1;
	}
	return 0;
}

static int parse_delimiter(const char *arg, char *out)
{
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
		*out = '\t';
	else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' && (unsigned char)arg[0] < 0x80)
		*out = arg[0];
	else {
		fp_log_err("--delimiter: '%s' is not a single ASCII character (or tab)", arg);
		return -1;
	}
	return 0;
}

static int parse_peek_option(int c, const char *arg, struct peek_args *a)
{
	switch (c) {
	case 'n': return parse_rows(arg, "-n", &a->show.rows);
	case 't':
		if (parse_rows(arg, "--tail", &a->show.tail) < 0)
			return -1;
		if (a->show.tail == 0 || a->show.tail > 1000000) {
			fp_log_err("invalid value '%s' for --tail (expected 1 to 1000000)", arg);
			return -1;
		}
		return 0;
	case 'c': a->show.columns = arg; return 0;
	case 'v': a->show.vertical = true; return 0;
	case 'd': return parse_delimiter(arg, &a->open.delimiter);
	case 's': a->schema_only = true; return 0;
	}
	return -1;
}

int cmd_peek(int argc, char **argv)
{
	static const struct option options[] = {
		{ "rows", required_argument, NULL, 'n' },
		{ "tail", required_argument, NULL, 't' },
		{ "columns", required_argument, NULL, 'c' },
		{ "vertical", no_argument, NULL, 'v' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "schema", no_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct peek_args a = { .show = { .rows = 20 } };
	int c;

	fp_log_setup("flowprep peek", FP_LOG_STYLE_CLI, FP_LOG_INFO);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "n:t:c:vd:sVh", options, NULL)) != -1) {
		if (c == 'h') {
			peek_usage(stdout);
			return FP_EXIT_OK;
		}
		if (c == 'V') {
			printf("flowprep peek %s\n", PACKAGE_VERSION);
			return FP_EXIT_OK;
		}
		if (c == '?') {
			fp_log_err("unknown option '%s' (or it needs a value)", argv[optind - 1]);
			fprintf(stderr, "Try 'flowprep peek --help'.\n");
			return FP_EXIT_FAILURE;
		}
		if (parse_peek_option(c, optarg, &a) < 0) {
			fprintf(stderr, "Try 'flowprep peek --help'.\n");
			return FP_EXIT_FAILURE;
		}
	}
	if (argc - optind != 1) {
		fp_log_err("need exactly one FILE (try flowprep peek --help)");
		return FP_EXIT_FAILURE;
	}
	a.show.width = terminal_width();
	return peek_file(argv[optind], &a);
}
