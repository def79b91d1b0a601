/*
 * source-file.c - a capture file or stream as a source (see source.h): the
 * capture reader of our own (capture-reader.h) behind the source
 * interface. A file is always ready (no fd), and ends at its end or at the
 * first damaged record. Each packet carries its own link type (a pcapng
 * file's interfaces may differ); the source's linktype is the first one's.
 */
#include "config.h"

#include <stdlib.h>

#include "source/capture-reader.h"
#include "source/source.h"

struct file_source {
	struct fp_source base;	/* first: a struct fp_source * is a struct file_source * */
	struct fp_capture_reader *reader;
};

static int file_next(struct fp_source *s, struct fp_raw_packet *pkt, struct fp_error *err)
{
	struct file_source *fs = (struct file_source *)s;
	int rc;

	if (s->ended)
		return 0;
	rc = fp_capture_reader_next(fs->reader, pkt, err);
	if (rc == 1)
		s->packets++;
	else
		s->ended = true;
	return rc;
}

static uint64_t file_position(const struct fp_source *s)
{
	return fp_capture_reader_offset(((const struct file_source *)s)->reader);
}

static void file_close(struct fp_source *s)
{
	struct file_source *fs = (struct file_source *)s;

	fp_capture_reader_close(fs->reader);
	free(fs);
}

static const struct fp_source_ops file_source_ops = { file_next, file_position, file_close };

static struct fp_source *wrap(struct fp_capture_reader *reader, struct fp_error *err)
{
	struct file_source *fs;

	if (reader == NULL)
		return NULL;
	fs = calloc(1, sizeof(*fs));
	if (fs == NULL) {
		fp_error_set(err, "%s: out of memory", fp_capture_reader_name(reader));
		fp_capture_reader_close(reader);
		return NULL;
	}
	fs->reader = reader;
	fs->base.ops = &file_source_ops;
	fs->base.name = fp_capture_reader_name(reader);
	fs->base.linktype = fp_capture_reader_linktype(reader);
	fs->base.fd = -1;
	fs->base.size = fp_capture_reader_size(reader);
	return &fs->base;
}

struct fp_source *fp_source_open_file(const char *path, struct fp_error *err)
{
	return wrap(fp_capture_reader_open(path, err), err);
}

struct fp_source *fp_source_open_stream(FILE *fp, const char *name, struct fp_error *err)
{
	return wrap(fp_capture_reader_open_input(-1, fp, true, name, err), err);
}
