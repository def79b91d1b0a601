/*
 * report.c - counting bad cells by kind (report.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "canon/report.h"
#include "lib/grow.h"

void fp_canon_report_init(struct fp_canon_report *r)
{
	memset(r, 0, sizeof(*r));
}

void fp_canon_report_free(struct fp_canon_report *r)
{
	for (size_t i = 0; i < r->nissues; i++) {
		free(r->issues[i].field);
		free(r->issues[i].column);
	}
	free(r->issues);
	memset(r, 0, sizeof(*r));
}

static void excerpt(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\'')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
	}
	if (o + 8 >= size)
		memcpy(out + size - 4, "...", 4);
	else
		out[o] = '\0';
}

static struct fp_canon_issue *find_issue(struct fp_canon_report *r, const char *field, const char *column,
					 const char *why, bool rejected)
{
	struct fp_canon_issue *is;

	for (size_t i = 0; i < r->nissues; i++) {
		is = &r->issues[i];
		if (is->why == why && is->rejected == rejected && strcmp(is->field, field) == 0 &&
		    strcmp(is->column, column) == 0)
			return is;
	}
	if (fp_grow(&r->issues, &r->cap, r->nissues + 1, sizeof(*r->issues), 8) < 0)
		return NULL;
	is = &r->issues[r->nissues];
	memset(is, 0, sizeof(*is));
	is->field = strdup(field);
	is->column = strdup(column);
	if (is->field == NULL || is->column == NULL) {
		free(is->field);
		free(is->column);
		return NULL;
	}
	is->why = why;
	is->rejected = rejected;
	r->nissues++;
	return is;
}

void fp_canon_report_cell(struct fp_canon_report *r, const char *field, const char *column, const char *why,
			  bool rejected, uint64_t row, const char *value, size_t len)
{
	struct fp_canon_issue *is = find_issue(r, field, column, why, rejected);

	if (!rejected)
		r->cells_nulled++;
	if (is == NULL) {
		r->out_of_memory = true;
		return;
	}
	if (is->count < FP_CANON_REPORT_ROWS)
		is->rows[is->count] = row;
	if (is->count == 0 && value != NULL)
		excerpt(value, len, is->example, sizeof(is->example));
	is->count++;
}

void fp_canon_report_print(const struct fp_canon_report *r, const char *name, FILE *out)
{
	fprintf(out, "%s: %" PRIu64 " rows read, %" PRIu64 " written, %" PRIu64 " rejected", name, r->rows_in,
		r->rows_out, r->rows_rejected);
	if (r->cells_nulled)
		fprintf(out, ", %" PRIu64 " cells set to null", r->cells_nulled);
	fputc('\n', out);
	for (size_t i = 0; i < r->nissues; i++) {
		const struct fp_canon_issue *is = &r->issues[i];
		size_t shown = is->count < FP_CANON_REPORT_ROWS ? (size_t)is->count : FP_CANON_REPORT_ROWS;

		fprintf(out, "  %s %" PRIu64 " %s: %s", is->rejected ? "rejected" : "nulled", is->count,
			is->rejected ? (is->count == 1 ? "row" : "rows") : (is->count == 1 ? "cell" : "cells"),
			is->field);
		if (is->column[0])
			fprintf(out, " from column '%s'", is->column);
		if (is->example[0])
			fprintf(out, ": '%s' %s", is->example, is->why);
		else
			fprintf(out, ": %s", is->why);
		fprintf(out, " (row%s", shown > 1 ? "s" : "");
		for (size_t k = 0; k < shown; k++)
			fprintf(out, "%s%" PRIu64, k ? ", " : " ", is->rows[k]);
		fprintf(out, "%s)\n", is->count > shown ? ", ..." : "");
	}
	if (r->out_of_memory)
		fprintf(out, "  (memory ran out while recording the kinds of bad cells; the counts above are right)\n");
}
