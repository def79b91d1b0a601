/*
 * codec-names.c - the names of Parquet compression codecs, as the command
 * line takes them and as messages print them. Both directions use the one
 * table, so a name always parses back to its codec.
 */
#include "config.h"

#include <stddef.h>
#include <strings.h>

#include "format/parquet/parquet.h"

static const struct {
	const char *name;
	int codec;
} codec_names[] = {
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
};

int fp_parquet_codec_parse(const char *name)
{
	if (name == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(codec_names) / sizeof(codec_names[0]); i++)
		if (strcasecmp(name, codec_names[i].name) == 0)
			return codec_names[i].codec;
	return -1;
}

const char *fp_parquet_codec_name(int codec)
{
	for (size_t i = 0; i < sizeof(codec_names) / sizeof(codec_names[0]); i++)
		if (codec_names[i].codec == codec)
			return codec_names[i].name;
	return "unknown";
}
