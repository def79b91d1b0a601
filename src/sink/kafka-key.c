/*
 * kafka-key.c - a flow record's Kafka key (see kafka-key.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "lib/number-text.h"
#include "sink/kafka-key.h"

#define ADDR_TEXT_MAX 46	/* INET6_ADDRSTRLEN */

static int find_either(const struct fp_schema *s, const char *a, const char *b)
{
	int i = fp_schema_find(s, a);

	return i >= 0 ? i : fp_schema_find(s, b);
}

int fp_kafka_key_columns_find(const struct fp_schema *s, struct fp_kafka_key_columns *k, struct fp_error *err)
{
	k->src_ip = fp_schema_find(s, "src_ip");
	k->dst_ip = find_either(s, "dest_ip", "dst_ip");
	k->src_port = fp_schema_find(s, "src_port");
	k->dst_port = find_either(s, "dest_port", "dst_port");
	k->protocol = fp_schema_find(s, "protocol");
	if (k->src_ip < 0 || k->dst_ip < 0 || k->src_port < 0 || k->dst_port < 0 || k->protocol < 0)
		return fp_error_set(err, "kafka: key 5tuple: the records lack a 5-tuple column "
				    "(src_ip, dest_ip, src_port, dest_port, protocol); use key: none");
	return 0;
}

/* An integer cell (ports, protocol) of any integer type; null is -1. */
static int64_t cell_int(const struct fp_column *c, size_t row)
{
	if (!fp_column_is_valid(c, row))
		return -1;
	switch (c->type) {
	case FP_TYPE_INT32: return c->v.i32[row];
	case FP_TYPE_INT64:
	case FP_TYPE_TIMESTAMP: return c->v.i64[row];
	default: return -1;
	}
}

/* Dotted-quad IPv4 to a number, without inet_pton's generality: the
 * common case, once per endpoint per record. 0 if `text` is not one. */
static int parse_ipv4(const char *text, size_t len, uint32_t *out)
{
	uint32_t v = 0, part = 0;
	int dots = 0, digits = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = text[i];

		if (ch >= '0' && ch <= '9') {
			part = part * 10 + (uint32_t)(ch - '0');
			if (++digits > 3 || part > 255)
				return 0;
		} else if (ch == '.' && digits > 0 && dots < 3) {
			v = v << 8 | part;
			part = 0;
			digits = 0;
			dots++;
		} else {
			return 0;
		}
	}
	if (dots != 3 || digits == 0)
		return 0;
	*out = v << 8 | part;
	return 1;
}

/* An endpoint, comparable: class 0 IPv4, 1 IPv6, 2 other text. */
struct endpoint {
	const char *addr;
	size_t addr_len;
	int class;
	uint8_t bin[16];
	int64_t port;
};

static void endpoint_load(struct endpoint *e, const struct fp_batch *b, int addr_col, int port_col, size_t row)
{
	const struct fp_column *c = &b->cols[addr_col];
	char text[ADDR_TEXT_MAX];
	uint32_t v4;

	e->addr = "";
	e->addr_len = 0;
	if (fp_column_is_valid(c, row) && fp_type_is_bytes(c->type))
		e->addr = fp_column_bytes(c, row, &e->addr_len);
	if (e->addr_len >= ADDR_TEXT_MAX)
		e->addr_len = ADDR_TEXT_MAX - 1;
	memset(e->bin, 0, sizeof(e->bin));
	e->class = 2;
	if (parse_ipv4(e->addr, e->addr_len, &v4)) {
		e->class = 0;
		e->bin[0] = (uint8_t)(v4 >> 24), e->bin[1] = (uint8_t)(v4 >> 16);
		e->bin[2] = (uint8_t)(v4 >> 8), e->bin[3] = (uint8_t)v4;
	} else if (memchr(e->addr, ':', e->addr_len) != NULL) {
		memcpy(text, e->addr, e->addr_len);
		text[e->addr_len] = '\0';
		if (inet_pton(AF_INET6, text, e->bin) == 1)
			e->class = 1;
	}
	e->port = cell_int(&b->cols[port_col], row);
}

static int endpoint_compare(const struct endpoint *a, const struct endpoint *b)
{
	int c;

	if (a->class != b->class)
		return a->class < b->class ? -1 : 1;
	if (a->class == 2) {
		size_t n = a->addr_len < b->addr_len ? a->addr_len : b->addr_len;

		c = memcmp(a->addr, b->addr, n);
		if (c == 0 && a->addr_len != b->addr_len)
			c = a->addr_len < b->addr_len ? -1 : 1;
	} else {
		c = memcmp(a->bin, b->bin, sizeof(a->bin));
	}
	if (c != 0)
		return c;
	return a->port < b->port ? -1 : a->port > b->port;
}

/* " ADDR PORT" after `p`; a null port is empty. */
static char *put_endpoint(char *p, const struct endpoint *e)
{
	*p++ = ' ';
	memcpy(p, e->addr, e->addr_len);
	p += e->addr_len;
	*p++ = ' ';
	if (e->port >= 0)
		p += fp_i64_to_text(p, e->port);
	return p;
}

size_t fp_kafka_key_text(const struct fp_kafka_key_columns *k, const struct fp_batch *b, size_t row, char *buf)
{
	struct endpoint src, dst;
	const struct endpoint *lo;
	int64_t proto = cell_int(&b->cols[k->protocol], row);
	char *p = buf;

	endpoint_load(&src, b, k->src_ip, k->src_port, row);
	endpoint_load(&dst, b, k->dst_ip, k->dst_port, row);
	lo = endpoint_compare(&src, &dst) <= 0 ? &src : &dst;
	if (proto >= 0)
		p += fp_i64_to_text(p, proto);
	p = put_endpoint(p, lo);
	p = put_endpoint(p, lo == &src ? &dst : &src);
	return (size_t)(p - buf);
}
