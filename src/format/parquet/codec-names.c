/*
 * codec-names.c - the names of Parquet compression codecs, as users give
 * them (command line, configuration, through fp_parse_enum()) and as
 * messages print them. Both directions use the one table, so a name
 * always parses back to its codec.
 */
#include "config.h"

#include <stddef.h>
#include <strings.h>

#include "format/parquet/parquet.h"

const struct fp_enum_name fp_parquet_codec_names[] = {
	{ "none", FP_CODEC_UNCOMPRESSED },
	{ "snappy", FP_CODEC_SNAPPY },
	{ "gzip", FP_CODEC_GZIP },
	{ "lzo", FP_CODEC_LZO },
	{ "brotli", FP_CODEC_BROTLI },
	{ "lz4", FP_CODEC_LZ4 },
	{ "zstd", FP_CODEC_ZSTD },
	{ "lz4_raw", FP_CODEC_LZ4_RAW },
	/* aliases, accepted but never printed */
	{ "uncompressed", FP_CODEC_UNCOMPRESSED },
	{ "lz4-raw", FP_CODEC_LZ4_RAW },
	{ NULL, 0 },
};

const struct fp_enum_name fp_parquet_writer_codec_names[] = {
	{ "zstd", FP_CODEC_ZSTD },
	{ "snappy", FP_CODEC_SNAPPY },
	{ "gzip", FP_CODEC_GZIP },
	{ "none", FP_CODEC_UNCOMPRESSED },
	{ "uncompressed", FP_CODEC_UNCOMPRESSED },
	{ NULL, 0 },
};

int fp_parquet_codec_parse(const char *name)
{
	if (name == NULL)
		return -1;
	for (const struct fp_enum_name *n = fp_parquet_codec_names; n->name != NULL; n++)
		if (strcasecmp(name, n->name) == 0)
			return n->value;
	return -1;
}

const char *fp_parquet_codec_name(int codec)
{
	const char *name = fp_enum_name(fp_parquet_codec_names, codec);

	return name != NULL ? name : "unknown";
}
