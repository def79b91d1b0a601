/*
 * peek-table.c - the table `flowprep peek` draws (see peek-table.h).
 *
 * Steps: choose the columns (--columns, or all); keep as candidates only
 * those that could fit the width (the first and last width/4, as a column
 * takes at least 4 terminal columns); read the first rows as text; size
 * the columns; when they do not all fit, keep columns from the left and
 * the right alternately and put a "…" column between (like DuckDB's
 * shell); then draw, streaming any further rows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cell-text.h"
#include "cli/cli.h"
#include "cli/peek-table.h"

#define CELL_BYTES 256
#define WIDTH_SAMPLE 1000		/* rows whose widths size the columns */
#define CELL_BUDGET (1u << 18)		/* cells held at once (sample or tail ring): 64 MiB of text */
#define ELLIPSIS "\xe2\x80\xa6"

/* Text of up to `cap` rows of the candidate columns, in a ring. */
struct row_store {
	size_t ncols, cap, first, count;
	char *text;			/* cap * ncols cells of CELL_BYTES */
	uint64_t *number;		/* row numbers (for --vertical) */
};

struct layout {
	size_t *cand;			/* candidate columns (schema indices) */
	size_t ncand;
	size_t *width;			/* per candidate */
	bool *shown;			/* per candidate */
	size_t elide_after;		/* the "…" column goes after this many shown; SIZE_MAX: none */
	size_t hidden;			/* selected columns not shown */
	size_t selected;
};

static char *cell(struct row_store *rs, size_t r, size_t c)
{
	return rs->text + (((rs->first + r) % rs->cap) * rs->ncols + c) * CELL_BYTES;
}

/* ------------------------------------------------------------ choosing columns */

static int select_columns(const struct fp_schema *s, const char *list, size_t **out, size_t *n, struct fp_error *err)
{
	size_t cap = list ? 1 : s->nfields;
	char *copy, *tok, *save = NULL;

	if (list)
		for (const char *p = list; *p; p++)
			cap += *p == ',';
	if ((*out = calloc(cap ? cap : 1, sizeof(**out))) == NULL)
		return fp_error_set(err, "out of memory");
	*n = 0;
	if (list == NULL) {
		for (size_t i = 0; i < s->nfields; i++)
			(*out)[(*n)++] = i;
		return 0;
	}
	if ((copy = strdup(list)) == NULL) {
		free(*out);
		*out = NULL;
		return fp_error_set(err, "out of memory");
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < s->nfields && strcmp(s->fields[i].name, tok) != 0; i++)
			;
		if (i == s->nfields) {
			fp_error_set(err, "--columns: no column '%s' (see flowprep peek --schema)", tok);
			free(copy);
			free(*out);
			*out = NULL;
			return -1;
		}
		(*out)[(*n)++] = i;
	}
	free(copy);
	return 0;
}

/* Only the first and last width/4 selected columns can ever be shown. */
static void choose_candidates(struct layout *l, size_t *sel, size_t nsel, size_t width)
{
	size_t k = width ? (width - 1) / 4 : nsel;

	l->selected = nsel;
	l->cand = sel;
	l->ncand = nsel;
	if (width && nsel > 2 * k) {
		memmove(sel + k, sel + nsel - k, k * sizeof(*sel));
		l->ncand = 2 * k;
	}
}

static bool right_aligned(enum fp_type t)
{
	return t == FP_TYPE_INT32 || t == FP_TYPE_INT64 || t == FP_TYPE_DOUBLE;
}

/* Header widths, then keep columns from both ends while they fit. */
static void fit_columns(struct layout *l, const struct fp_schema *s, size_t width)
{
	char type[48];
	size_t used = 1, left = 0, right = 0, taken = 0;

	for (size_t c = 0; c < l->ncand; c++) {
		const struct fp_field *f = &s->fields[l->cand[c]];
		size_t w = display_width(f->name) > 40 ? 40 : display_width(f->name);
		fp_field_type_text(f, type, sizeof(type));
		if (display_width(type) > w)
			w = display_width(type);
		if (w > l->width[c])
			l->width[c] = w;
	}
	l->elide_after = SIZE_MAX;
	for (size_t c = 0; c < l->ncand; c++)
		used += l->width[c] + 3;
	if (width == 0 || (used <= width && l->ncand == l->selected)) {
		for (size_t c = 0; c < l->ncand; c++)
			l->shown[c] = true;
		return;
	}
	used = 1 + 4;	/* the left border and the "…" column */
	while (left + right < l->ncand) {
		bool from_left = left <= right;
		size_t c = from_left ? left : l->ncand - 1 - right;
		if (used + l->width[c] + 3 > width)
			break;
		used += l->width[c] + 3;
		l->shown[c] = true;
		taken++;
		if (from_left)
			left++;
		else
			right++;
	}
	l->elide_after = left;
	l->hidden = l->selected - taken;
}

/* ------------------------------------------------------------ drawing */

/* A horizontal rule: each shown column's width + 2, and the "…" column's 3. */
static void rule(const struct layout *l, const char *left, const char *mid, const char *right)
{
	size_t shown = 0, total = 0, drawn = 0;

	for (size_t c = 0; c < l->ncand; c++)
		total += l->shown[c];
	total += l->elide_after != SIZE_MAX;
	fputs(left, stdout);
	for (size_t c = 0; c <= l->ncand; c++) {
		size_t w = 0;
		if (l->elide_after != SIZE_MAX && shown == l->elide_after) {
			fputs("\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80", stdout);
			fputs(++drawn < total ? mid : right, stdout);
			shown++;	/* the marker is drawn once */
		}
		if (c == l->ncand || !l->shown[c])
			continue;
		w = l->width[c] + 2;
		for (size_t i = 0; i < w; i++)
			fputs("\xe2\x94\x80", stdout);
		fputs(++drawn < total ? mid : right, stdout);
		shown++;
	}
	fputc('\n', stdout);
}

static void row_line(const struct layout *l, const struct fp_schema *s, char **cells, bool header)
{
	bool elided = false;
	size_t shown = 0;

	fputs("\xe2\x94\x82", stdout);
	for (size_t c = 0; c < l->ncand; c++) {
		if (!elided && l->elide_after != SIZE_MAX && shown == l->elide_after) {
			fputs(" " ELLIPSIS " \xe2\x94\x82", stdout);
			elided = true;
		}
		if (!l->shown[c])
			continue;
		size_t dw = display_width(cells[c]);
		size_t pad = l->width[c] > dw ? l->width[c] - dw : 0;
		bool right = !header && right_aligned(s->fields[l->cand[c]].type);
		printf(" %*s%s%*s \xe2\x94\x82", right ? (int)pad : 0, "", cells[c], right ? 0 : (int)pad, "");
		shown++;
	}
	if (!elided && l->elide_after != SIZE_MAX)
		fputs(" " ELLIPSIS " \xe2\x94\x82", stdout);
	fputc('\n', stdout);
}

static void draw_header(const struct layout *l, const struct fp_schema *s, char **cells)
{
	char (*types)[48] = calloc(l->ncand ? l->ncand : 1, sizeof(*types));
	char (*names)[CELL_BYTES] = calloc(l->ncand ? l->ncand : 1, sizeof(*names));

	if (types == NULL || names == NULL) {
		free(types);
		free(names);
		return;
	}
	rule(l, "\xe2\x94\x8c", "\xe2\x94\xac", "\xe2\x94\x90");
	for (size_t c = 0; c < l->ncand; c++) {
		snprintf(names[c], sizeof(names[c]), "%s", s->fields[l->cand[c]].name);
		fit_text(names[c], sizeof(names[c]));
		cells[c] = names[c];
	}
	row_line(l, s, cells, true);
	for (size_t c = 0; c < l->ncand; c++) {
		fp_field_type_text(&s->fields[l->cand[c]], types[c], sizeof(types[c]));
		cells[c] = types[c];
	}
	row_line(l, s, cells, true);
	rule(l, "\xe2\x94\x9c", "\xe2\x94\xbc", "\xe2\x94\xa4");
	free(types);
	free(names);
}

static void draw_row(const struct layout *l, const struct fp_schema *s, struct row_store *rs, size_t r, char **cells)
{
	for (size_t c = 0; c < l->ncand; c++)
		cells[c] = cell(rs, r, c);
	row_line(l, s, cells, false);
}

static void draw_vertical(const struct layout *l, const struct fp_schema *s, struct row_store *rs, size_t r)
{
	size_t namew = 0;

	for (size_t c = 0; c < l->ncand; c++)
		if (display_width(s->fields[l->cand[c]].name) > namew)
			namew = display_width(s->fields[l->cand[c]].name);
	if (namew > 40)
		namew = 40;
	printf("\xe2\x94\x80\xe2\x94\x80 row %llu \xe2\x94\x80\xe2\x94\x80\n", (unsigned long long)rs->number[(rs->first + r) % rs->cap]);
	for (size_t c = 0; c < l->ncand; c++) {
		char name[CELL_BYTES];
		snprintf(name, sizeof(name), "%s", s->fields[l->cand[c]].name);
		fit_text(name, sizeof(name));
		size_t dw = display_width(name);
		printf("%s%*s \xe2\x94\x82 %s\n", name, (int)(namew > dw ? namew - dw : 0), "", cell(rs, r, c));
	}
}

/* ------------------------------------------------------------ reading */

/* Appends row r of b to the store (dropping the oldest when full) and
 * widens the columns while `sizing`. */
static void keep_row(struct row_store *rs, struct layout *l, const struct fp_batch *b, size_t r, uint64_t number,
		     bool sizing)
{
	size_t slot;

	if (rs->count == rs->cap) {
		rs->first = (rs->first + 1) % rs->cap;
		rs->count--;
	}
	slot = rs->count++;
	rs->number[(rs->first + slot) % rs->cap] = number;
	for (size_t c = 0; c < l->ncand; c++) {
		size_t w = cell_text(b, l->cand[c], r, cell(rs, slot, c), CELL_BYTES);
		if (sizing && w > l->width[c])
			l->width[c] = w;
	}
}

static size_t batch_rows_for(size_t ncols)
{
	size_t n = CELL_BUDGET / (ncols ? ncols : 1);

	return n < 1 ? 1 : n > 4096 ? 4096 : n;
}

struct peek_run {
	struct fp_table_reader *t;
	const struct fp_schema *s;
	const struct peek_options *o;
	struct layout l;
	struct row_store rs;
	struct fp_batch *b;
	char **cells;
	uint64_t seen;			/* rows read */
	bool drawn_header;
	bool *printed;
};

static void start_drawing(struct peek_run *p)
{
	if (p->drawn_header)
		return;
	fit_columns(&p->l, p->s, p->o->vertical ? 0 : p->o->width);
	if (!p->o->vertical)
		draw_header(&p->l, p->s, p->cells);
	p->drawn_header = true;
	*p->printed = true;
}

static void flush_store(struct peek_run *p)
{
	for (size_t r = 0; r < p->rs.count; r++) {
		if (p->o->vertical)
			draw_vertical(&p->l, p->s, &p->rs, r);
		else
			draw_row(&p->l, p->s, &p->rs, r, p->cells);
	}
	p->rs.count = 0;
	p->rs.first = 0;
}

/* Reads rows: the first ones size the columns; after them, each batch is
 * drawn as it comes (head), or only the last N are kept (tail). */
static int read_and_draw(struct peek_run *p, struct fp_error *err)
{
	uint64_t want = p->o->tail ? UINT64_MAX : p->o->rows;
	long n = 0;

	while (p->seen < want && (n = fp_table_next(p->t, p->b, err)) > 0) {
		for (size_t r = 0; r < (size_t)n && p->seen < want; r++) {
			bool sizing = p->o->tail || !p->drawn_header;
			keep_row(&p->rs, &p->l, p->b, r, ++p->seen, sizing);
			if (!p->o->tail && p->rs.count == p->rs.cap) {
				start_drawing(p);
				flush_store(p);
			}
		}
	}
	if (n < 0)
		return -1;
	start_drawing(p);
	flush_store(p);
	return 0;
}

static int set_up(struct peek_run *p, struct fp_error *err)
{
	size_t *sel, nsel, cap;

	if (select_columns(p->s, p->o->columns, &sel, &nsel, err) < 0)
		return -1;
	choose_candidates(&p->l, sel, nsel, p->o->vertical ? 0 : p->o->width);
	cap = CELL_BUDGET / (p->l.ncand ? p->l.ncand : 1);
	if (cap > WIDTH_SAMPLE)
		cap = WIDTH_SAMPLE;
	if (p->o->tail)
		cap = p->o->tail;
	else if (p->o->rows < cap)
		cap = (size_t)p->o->rows;
	if (cap == 0)
		cap = 1;
	p->rs.ncols = p->l.ncand;
	p->rs.cap = cap;
	p->l.width = calloc(p->l.ncand + 1, sizeof(*p->l.width));
	p->l.shown = calloc(p->l.ncand + 1, sizeof(*p->l.shown));
	p->cells = calloc(p->l.ncand + 1, sizeof(*p->cells));
	p->rs.text = calloc(cap * (p->l.ncand ? p->l.ncand : 1), CELL_BYTES);
	p->rs.number = calloc(cap, sizeof(*p->rs.number));
	p->b = fp_batch_new(p->s, batch_rows_for(p->s->nfields));
	if (!p->l.width || !p->l.shown || !p->cells || !p->rs.text || !p->rs.number || !p->b)
		return fp_error_set(err, "out of memory (%zu columns)", p->l.ncand);
	return 0;
}

static void footer(struct peek_run *p)
{
	char a[32], b[32], hidden[96] = "";
	struct fp_parquet_reader *pr = fp_table_parquet(p->t);
	uint64_t shown = p->o->tail ? (p->seen < p->o->tail ? p->seen : p->o->tail) : p->seen;

	if (p->l.hidden)
		snprintf(hidden, sizeof(hidden), " (%zu not shown: use --columns or --vertical)", p->l.hidden);
	if (p->o->tail)
		printf("last %s of %s rows, %zu columns%s\n", format_thousands(shown, a, sizeof(a)),
		       format_thousands(p->seen, b, sizeof(b)), p->s->nfields, hidden);
	else if (pr)
		printf("%s of %s rows, %zu columns%s\n", format_thousands(shown, a, sizeof(a)),
		       format_thousands((uint64_t)fp_parquet_reader_info(pr)->num_rows, b, sizeof(b)), p->s->nfields,
		       hidden);
	else
		printf("first %s rows, %zu columns%s\n", format_thousands(shown, a, sizeof(a)), p->s->nfields, hidden);
}

int peek_table(struct fp_table_reader *t, const struct peek_options *o, bool *printed, struct fp_error *err)
{
	struct peek_run p = { .t = t, .s = fp_table_schema(t), .o = o, .printed = printed };
	int rc = 0;

	*printed = false;
	if (set_up(&p, err) < 0)
		rc = 1;
	else if (read_and_draw(&p, err) < 0)
		rc = 2;
	if (p.drawn_header && !o->vertical)
		rule(&p.l, "\xe2\x94\x94", "\xe2\x94\xb4", "\xe2\x94\x98");
	if (p.drawn_header && rc == 0)
		footer(&p);
	fp_batch_free(p.b);
	free(p.l.cand);
	free(p.l.width);
	free(p.l.shown);
	free(p.cells);
	free(p.rs.text);
	free(p.rs.number);
	return rc;
}
