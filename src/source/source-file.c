/*
 * source-file.c - a capture file as a source (see source.h): the pcap-file
 * reader behind the source interface. A file is always ready (no fd), and
 * ends at its end or at the first damaged record.
 */
#include "config.h"

#include <stdlib.h>

#include "source/pcap-file.h"
#include "source/source.h"

struct file_source {
	struct fp_source base;	/* first: a struct fp_source * is a struct file_source * */
	struct fp_pcap_file *file;
};

static int file_next(struct fp_source *s, struct fp_raw_packet *pkt, struct fp_error *err)
{
	struct file_source *fs = (struct file_source *)s;
	int rc;

	if (s->ended)
		return 0;
	rc = fp_pcap_file_next(fs->file, pkt, err);
	if (rc == 1)
		s->packets++;
	else
		s->ended = true;
	return rc;
}

static uint64_t file_position(const struct fp_source *s)
{
	return fp_pcap_file_offset(((const struct file_source *)s)->file);
}

static void file_close(struct fp_source *s)
{
	struct file_source *fs = (struct file_source *)s;

	fp_pcap_file_close(fs->file);
	free(fs);
}

static const struct fp_source_ops file_source_ops = { file_next, file_position, file_close };

struct fp_source *fp_source_open_file(const char *path, struct fp_error *err)
{
	struct file_source *fs = calloc(1, sizeof(*fs));

	if (fs == NULL) {
		fp_error_set(err, "%s: out of memory", path);
		return NULL;
	}
	fs->file = fp_pcap_file_open(path, err);
	if (fs->file == NULL) {
		free(fs);
		return NULL;
	}
	fs->base.ops = &file_source_ops;
	fs->base.name = fp_pcap_file_path(fs->file);
	fs->base.linktype = fp_pcap_file_linktype(fs->file);
	fs->base.fd = -1;
	fs->base.size = fp_pcap_file_size(fs->file);
	return &fs->base;
}
