/*
 * kafka-key.h - the Kafka message key of a flow record: its
 * direction-normalized 5-tuple as text,
 *   "PROTOCOL LOW_ADDR LOW_PORT HIGH_ADDR HIGH_PORT"   ("6 10.0.0.1 80 10.0.0.2 51234")
 * whose lower endpoint comes first: addresses compared as numbers (IPv4
 * before IPv6; text that is no address after both, by bytes), then ports.
 * Both directions of a conversation, and all its records, get one key and
 * so one partition.
 *
 * The columns are found by name once per schema (src_ip; dest_ip or
 * dst_ip; src_port; dest_port or dst_port; protocol: the canonical names
 * and those of the cic-style sets); the key is then made from the row's
 * cells without formatting calls, since it is made once per record.
 */
#ifndef FP_SINK_KAFKA_KEY_H
#define FP_SINK_KAFKA_KEY_H

#include <stddef.h>

#include "lib/error.h"
#include "record/batch.h"
#include "record/schema.h"

#define FP_KAFKA_KEY_MAX 192	/* 3 integers of up to 20 digits, 2 addresses of up to 45, spaces */

struct fp_kafka_key_columns {
	int src_ip, dst_ip, src_port, dst_port, protocol;
};

/* -1 with a message when a column is missing. */
int fp_kafka_key_columns_find(const struct fp_schema *s, struct fp_kafka_key_columns *k, struct fp_error *err);

/* The key of `row` into buf[FP_KAFKA_KEY_MAX]; its length (no NUL). Null
 * cells are empty parts. */
size_t fp_kafka_key_text(const struct fp_kafka_key_columns *k, const struct fp_batch *b, size_t row, char *buf);

#endif
