/*
 * daemon-config.h - flowprepd's configuration: the YAML file parsed into a plain
 * struct, validated completely before anything uses it.
 *
 * A reload builds a new struct from the file and the daemon swaps it in, or
 * keeps the old one and logs why; so loading never touches running state.
 * Every error names the file, line and column and the key
 * ("/etc/flowprep/flowprepd.yaml:12:18: flow.idle_timeout: '5x' is not a
 * duration (use e.g. 500ms, 60s, 5m, 1h)"). Unknown keys are errors.
 * Values are read by lib/parse-value (durations, sizes, counts, booleans)
 * and judged by their stage's own validation (fp_flow_config_validate(),
 * fp_parquet_write_options_validate()), so the CLI and the daemon say the
 * same things about a bad value.
 *
 * A file is read with bounds, since a reload reads whatever is there: at
 * most 1 MiB, nesting at most 16 levels, no YAML anchors or aliases, one
 * document (daemon/yaml-walk.h). An empty file means all defaults, which
 * still lacks the required output.directory.
 */
#ifndef FP_DAEMON_CONFIG_H
#define FP_DAEMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flow-engine.h"
#include "format/format-writer.h"
#include "lib/error.h"
#include "sink/kafka-sink.h"
#include "source/spool.h"

#define FPD_DEFAULT_CONFIG "/etc/flowprep/flowprepd.yaml"
#define FPD_DEFAULT_MAX_FLOWS 1000000

/* interfaces: - name: eth0 ... */
struct fpd_interface_config {
	char *name;			/* required */
	char *filter;			/* BPF text, NULL = everything */
	int snaplen;			/* default 262144; 64 .. 262144 */
	bool promiscuous;		/* default true */
	uint64_t buffer_size;		/* bytes, default 16 MiB; 0 = libpcap's default */
	bool immediate;			/* default false */
};

struct fpd_config {
	char *path;			/* the file it was read from (messages) */

	struct fpd_interface_config *interfaces;	/* interfaces: (optional; empty = spool only) */
	size_t ninterfaces;

	struct {
		char *directory;	/* spool.directory; NULL = no spool */
		enum fp_spool_after after;	/* spool.after: move (default) | delete */
	} spool;

	/* flow.idle_timeout, active_timeout, max_flows (per source), tcp_close,
	 * bytes (ip | frame | payload); other fields keep the engine's defaults,
	 * except max_flows (FPD_DEFAULT_MAX_FLOWS: a sensor's memory stays
	 * bounded unless the file says max_flows: 0) and the TCP close linger
	 * (its 1 s default yields to a shorter idle timeout). */
	struct fp_flow_config flow;
	char *features;			/* flow.features: feature set name, default "canonical" */

	struct {
		char *directory;	/* output.directory (required) */
		unsigned formats;	/* output.formats: bit (1 << enum fp_format); default parquet */
		int64_t rotate_ns;	/* output.rotate: default 1h; 1s .. 24h, divides a day */
		struct fp_format_options format;	/* output.compression -> format.parquet.codec */
	} output;

	/* kafka: (optional) brokers, topic (both required when the section is
	 * there), key (5tuple | none), format (json), properties (a map given
	 * to librdkafka as it is, each checked by librdkafka at load),
	 * flush_timeout (default 10s). enabled: the section is present. */
	bool kafka_enabled;
	struct fp_kafka_options kafka;

	struct {
		char *listen;		/* metrics.listen: "" / NULL = off; "127.0.0.1:9477", "[::1]:9477" */
		bool allow_remote;	/* metrics.allow_remote: default false (loopback only) */
	} metrics;
};

/* The defaults of every key. features is allocated (NULL only if memory
 * ran out); free with fpd_config_free(). */
void fpd_config_defaults(struct fpd_config *c);
/* An interface's defaults (its name left NULL). */
void fpd_interface_config_defaults(struct fpd_interface_config *i);
/* Frees what `c` holds and leaves it empty (freeing it again is fine). */
void fpd_config_free(struct fpd_config *c);

/* Reads and validates `path` into `out` (defaults for what it omits).
 * On failure `out` is left empty (safe to free) and err says where. */
int fpd_config_load(const char *path, struct fpd_config *out, struct fp_error *err);

/* The same from text in memory; `name` stands for the file in messages. */
int fpd_config_parse(const char *text, size_t len, const char *name, struct fpd_config *out, struct fp_error *err);

/* metrics.listen taken apart, as the loader checked it: "HOST:PORT" or
 * "[IPv6]:PORT", port 1..65535. Nothing is resolved; `loopback` is true
 * for 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and the name localhost,
 * and the loader refuses any other host unless metrics.allow_remote. */
struct fpd_listen_addr {
	char host[256];			/* without brackets */
	uint16_t port;
	bool loopback;
};
int fpd_listen_parse(const char *text, struct fpd_listen_addr *out, struct fp_error *err);

/* Whether `format` is one of output.formats. */
static inline bool fpd_config_writes(const struct fpd_config *c, enum fp_format format)
{
	return (c->output.formats >> format) & 1u;
}

#endif
