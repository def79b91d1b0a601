/*
 * spill.c - batches to and from a temporary file (see spill.h).
 *
 * Layout per batch: u64 nrows, then per column: u8 has_validity,
 * [validity bitmap], then the values (fixed-width array, or u32 offsets
 * followed by the bytes). Host byte order: the file never leaves the
 * process that wrote it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/spill.h"

int fp_spill_open(struct fp_spill *s, const char *dir, struct fp_error *err)
{
	char path[4096];
	int fd;

	memset(s, 0, sizeof(*s));
	if (dir == NULL || *dir == '\0')
		dir = ".";
	if ((size_t)snprintf(path, sizeof(path), "%s/.flowprep-spill-XXXXXX", dir) >= sizeof(path))
		return fp_error_set(err, "%s: directory name too long for a spill file", dir);
	fd = mkstemp(path);
	if (fd < 0)
		return fp_error_errno(err, "%s: cannot create a temporary spill file", dir);
	unlink(path);
	s->fp = fdopen(fd, "w+");
	if (s->fp == NULL) {
		close(fd);
		return fp_error_errno(err, "spill file");
	}
	return 0;
}

int fp_spill_write(struct fp_spill *s, const struct fp_batch *b, struct fp_error *err)
{
	uint64_t n = b->nrows;
	int ok = fwrite(&n, sizeof(n), 1, s->fp) == 1;

	for (size_t i = 0; ok && i < b->schema->nfields; i++) {
		const struct fp_column *c = &b->cols[i];
		uint8_t has_validity = c->validity != NULL;

		ok = fwrite(&has_validity, 1, 1, s->fp) == 1;
		if (ok && has_validity)
			ok = fwrite(c->validity, 1, (n + 7) / 8, s->fp) == (n + 7) / 8;
		if (!ok || n == 0)
			continue;
		if (fp_type_is_bytes(c->type)) {
			ok = fwrite(c->offsets, sizeof(uint32_t), n + 1, s->fp) == n + 1;
			if (ok && c->offsets[n])
				ok = fwrite(c->data, 1, c->offsets[n], s->fp) == c->offsets[n];
		} else {
			ok = fwrite(c->v.i64, fp_type_width(c->type), n, s->fp) == n;
		}
	}
	if (!ok)
		return fp_error_errno(err, "writing a spill file");
	s->rows += n;
	s->batches++;
	return 0;
}

int fp_spill_rewind(struct fp_spill *s, struct fp_error *err)
{
	if (fflush(s->fp) != 0 || fseek(s->fp, 0, SEEK_SET) != 0)
		return fp_error_errno(err, "rewinding a spill file");
	return 0;
}

static int read_column(struct fp_spill *s, struct fp_batch *b, struct fp_column *c, uint64_t n)
{
	uint8_t has_validity;

	if (fread(&has_validity, 1, 1, s->fp) != 1)
		return -1;
	if (has_validity) {
		if (c->validity == NULL) {
			c->validity = malloc((b->capacity + 7) / 8);
			if (c->validity == NULL)
				return -1;
		}
		if (fread(c->validity, 1, (n + 7) / 8, s->fp) != (n + 7) / 8)
			return -1;
	} else if (c->validity) {
		memset(c->validity, 0xff, (b->capacity + 7) / 8);
	}
	if (n == 0)
		return 0;
	if (!fp_type_is_bytes(c->type))
		return fread(c->v.i64, fp_type_width(c->type), n, s->fp) == n ? 0 : -1;
	if (fread(c->offsets, sizeof(uint32_t), n + 1, s->fp) != n + 1)
		return -1;
	if (c->offsets[n] > c->data_cap) {
		char *d = realloc(c->data, c->offsets[n]);
		if (d == NULL)
			return -1;
		c->data = d;
		c->data_cap = c->offsets[n];
	}
	return fread(c->data, 1, c->offsets[n], s->fp) == c->offsets[n] ? 0 : -1;
}

long fp_spill_read(struct fp_spill *s, struct fp_batch *b, struct fp_error *err)
{
	uint64_t n;

	fp_batch_clear(b);
	if (fread(&n, sizeof(n), 1, s->fp) != 1)
		return feof(s->fp) ? 0 : fp_error_errno(err, "reading a spill file");
	if (n > b->capacity)
		return fp_error_set(err, "spill file: a batch of %llu rows does not fit", (unsigned long long)n);
	for (size_t i = 0; i < b->schema->nfields; i++) {
		if (read_column(s, b, &b->cols[i], n) < 0) {
			if (feof(s->fp))
				return fp_error_set(err, "spill file ends in the middle of a batch");
			return fp_error_errno(err, "reading a spill file");
		}
	}
	b->nrows = n;
	return (long)n;
}

void fp_spill_close(struct fp_spill *s)
{
	if (s->fp)
		fclose(s->fp);
	s->fp = NULL;
}
