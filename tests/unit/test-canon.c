/*
 * test-canon.c - canonicalize's parts: the schema's aliases, keys, units
 * from names, timestamps, protocol names, cell conversion and the row loop
 * with its rejection rules.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon/canonicalize.h"
#include "canon/protocol.h"
#include "canon/resolve.h"
#include "canon/spec.h"
#include "canon/timestamp.h"
#include "canon/units.h"
#include "test.h"

static const struct fp_canon_time_options utc = { 0, false };

static int64_t ts(const char *s, const struct fp_canon_time_options *o)
{
	int64_t us = -1;
	const char *why = NULL;

	if (fp_canon_parse_datetime(s, strlen(s), o, &us, &why) < 0)
		return -1;
	return us;
}

static void test_keys_and_units(void)
{
	char *k = fp_canon_key(" Source IP");
	CHECK_EQ_STR(k, "sourceip");
	free(k);
	k = fp_canon_key("id.orig_h");
	CHECK_EQ_STR(k, "idorigh");
	free(k);
	CHECK_EQ_INT(fp_canon_unit_from_name("FLOW_DURATION_MILLISECONDS"), FP_CANON_UNIT_MS);
	CHECK_EQ_INT(fp_canon_unit_from_name("TimeFlowStartMs"), FP_CANON_UNIT_MS);
	CHECK_EQ_INT(fp_canon_unit_from_name("time_flow_start_ns"), FP_CANON_UNIT_NS);
	CHECK_EQ_INT(fp_canon_unit_from_name("duration_s"), FP_CANON_UNIT_S);
	CHECK_EQ_INT(fp_canon_unit_from_name("flowDurationMicroseconds"), FP_CANON_UNIT_US);
	CHECK_EQ_INT(fp_canon_unit_from_name(" Flow Duration"), FP_CANON_UNIT_NONE);
	CHECK_EQ_INT(fp_canon_unit_from_name("ts"), FP_CANON_UNIT_NONE);
	CHECK_EQ_INT(fp_canon_unit_from_name("dur"), FP_CANON_UNIT_NONE);
	CHECK_EQ_INT(fp_canon_unit_from_name("duration_\xc2\xb5s"), FP_CANON_UNIT_US);
}

static void test_timestamps(void)
{
	struct fp_canon_time_options mdy = { 0, true }, adt = { -3 * 3600, false };
	int64_t us = 0;
	const char *why;

	/* 2017-07-07 08:59:50 UTC = 1499417990 */
	CHECK_EQ_INT(ts("2017-07-07 08:59:50", &utc), 1499417990000000LL);
	CHECK_EQ_INT(ts("2017-07-07T08:59:50Z", &utc), 1499417990000000LL);
	CHECK_EQ_INT(ts("2017-07-07T08:59:50.123456+0000", &utc), 1499417990123456LL);
	CHECK_EQ_INT(ts("2017-07-07T10:59:50.5+02:00", &utc), 1499417990500000LL);
	CHECK_EQ_INT(ts("7/7/2017 8:59", &utc), 1499417940000000LL);
	CHECK_EQ_INT(ts("07/07/2017 08:59:50 AM", &utc), 1499417990000000LL);
	CHECK_EQ_INT(ts("07/07/2017 08:59:50 PM", &utc), 1499417990000000LL + 12 * 3600000000LL);
	CHECK_EQ_INT(ts("12/07/2017 12:00:00 AM", &utc), ts("2017-07-12 00:00:00", &utc));
	CHECK_EQ_INT(ts("3/7/2017 8:55", &utc), ts("2017-07-03 08:55", &utc));	/* CIC: day first */
	CHECK_EQ_INT(ts("3/7/2017 8:55", &mdy), ts("2017-03-07 08:55", &utc));
	CHECK_EQ_INT(ts("14/02/2018 08:31:01", &utc), ts("2018-02-14 08:31:01", &utc));
	CHECK_EQ_INT(ts("2/14/2018 08:31:01", &utc), -1);	/* day-first: month 14 is refused */
	CHECK_EQ_INT(ts("2017-07-07 08:59:50", &adt), 1499417990000000LL + 3 * 3600000000LL);
	CHECK_EQ_INT(ts("2017-07-07 08:59:50Z", &adt), 1499417990000000LL);
	CHECK_EQ_INT(ts("2017-02-29 00:00:00", &utc), -1);
	CHECK_EQ_INT(ts("2016-02-29", &utc), 1456704000000000LL);
	CHECK_EQ_INT(ts("2017-07-07 25:00:00", &utc), -1);
	CHECK_EQ_INT(ts("yesterday", &utc), -1);
	CHECK_EQ_INT(ts("2017-07-07 08:59:50 junk", &utc), -1);

	/* epoch numbers: by magnitude, or the unit given */
	CHECK(fp_canon_epoch_i64_to_us(1499417990, FP_CANON_UNIT_NONE, &us, &why) == 0 && us == 1499417990000000LL);
	CHECK(fp_canon_epoch_i64_to_us(1499417990123LL, FP_CANON_UNIT_NONE, &us, &why) == 0 &&
	      us == 1499417990123000LL);
	CHECK(fp_canon_epoch_i64_to_us(1499417990123456LL, FP_CANON_UNIT_NONE, &us, &why) == 0 &&
	      us == 1499417990123456LL);
	CHECK(fp_canon_epoch_i64_to_us(1499417990123456789LL, FP_CANON_UNIT_NONE, &us, &why) == 0 &&
	      us == 1499417990123456LL);
	CHECK(fp_canon_epoch_i64_to_us(1499417990, FP_CANON_UNIT_MS, &us, &why) == 0 && us == 1499417990000LL);
	CHECK(fp_canon_epoch_f64_to_us(1300475167.096535, FP_CANON_UNIT_NONE, &us, &why) == 0 &&
	      us == 1300475167096535LL);
	CHECK(fp_canon_epoch_i64_to_us(-5, FP_CANON_UNIT_NONE, &us, &why) < 0);
	CHECK(fp_canon_epoch_f64_to_us(NAN, FP_CANON_UNIT_NONE, &us, &why) < 0);

	int32_t off = 1;
	CHECK(fp_canon_parse_tz_offset("UTC", &off) == 0 && off == 0);
	CHECK(fp_canon_parse_tz_offset("-03:00", &off) == 0 && off == -10800);
	CHECK(fp_canon_parse_tz_offset("+0530", &off) == 0 && off == 19800);
	CHECK(fp_canon_parse_tz_offset("+5", &off) == 0 && off == 18000);
	CHECK(fp_canon_parse_tz_offset("Europe/Berlin", &off) < 0);
}

static void test_protocols(void)
{
	CHECK_EQ_INT(fp_canon_protocol_number("tcp", 3), 6);
	CHECK_EQ_INT(fp_canon_protocol_number("UDP", 3), 17);
	CHECK_EQ_INT(fp_canon_protocol_number("icmp", 4), 1);
	CHECK_EQ_INT(fp_canon_protocol_number("ipv6-icmp", 9), 58);
	CHECK_EQ_INT(fp_canon_protocol_number("sctp", 4), 132);
	CHECK_EQ_INT(fp_canon_protocol_number("arp", 3), -1);
}

/* The embedded schema: at least 150 aliases, all distinct as keys. */
static void test_default_spec(void)
{
	struct fp_error err = { { 0 } };
	struct fp_canon_spec *s = fp_canon_spec_default(&err);
	size_t n = 0;

	CHECK(s != NULL);
	if (s == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return;
	}
	for (size_t t = 0; t < s->ntargets; t++)
		n += s->targets[t].field->naliases;
	CHECK(n >= 150);
	CHECK(s->nlabels >= 6);
	CHECK_EQ_INT(s->fields->nfields, 11);
	fp_canon_spec_free(s);
}

static void test_spec_refuses_shared_alias(void)
{
	const char *bad = "{\"fields\":[{\"name\":\"a\",\"type\":\"int32\",\"aliases\":[\"Src Port\"]},"
			  "{\"name\":\"b\",\"type\":\"int32\",\"aliases\":[\"src_port\"]}]}";
	struct fp_error err = { { 0 } };
	struct fp_canon_spec *s = fp_canon_spec_parse(bad, strlen(bad), "bad.json", &err);

	CHECK(s == NULL);
	CHECK(strstr(err.msg, "bad.json") != NULL && strstr(err.msg, "src_port") != NULL);
}

/* ------------------------------------------------------------ the row loop */

/* An input schema of string columns named `names` (NULL-terminated). */
static struct fp_schema *text_schema(const char *const *names)
{
	struct fp_schema *s = fp_schema_new("in", "");

	for (; *names; names++)
		fp_schema_add(s, *names, FP_TYPE_STRING, true);
	return s;
}

static void put_row(struct fp_batch *b, const char *const *cells)
{
	for (size_t c = 0; c < b->schema->nfields; c++) {
		if (cells[c] == NULL)
			fp_batch_put_null(b, c);
		else
			fp_batch_put_bytes(b, c, cells[c], strlen(cells[c]));
	}
	fp_batch_end_row(b);
}

static const char *const vpc_names[] = { "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
					 "bytes", "start", "end", "action", NULL };

static void test_run_rejects_and_derives(void)
{
	struct fp_error err = { { 0 } };
	struct fp_canon_spec *spec = fp_canon_spec_default(&err);
	struct fp_schema *in = text_schema(vpc_names);
	struct fp_canon_options o = { .time = utc };
	struct fp_canon_plan *p = spec ? fp_canon_plan_new(spec, in, &o, "vpc", &err) : NULL;
	struct fp_batch *b = fp_batch_new(in, 8), *out;
	struct fp_canon_report rep;
	const char *rows[][10] = {
		{ "10.0.0.1", "10.0.0.2", "1", "2", "tcp", "3", "300", "1418530010", "1418530070", "ACCEPT" },
		{ "10.0.0.1", "10.0.0.2", "1", "70000", "6", "3", "300", "1418530010", "1418530070", "ACCEPT" },
		{ "10.0.0.1", "10.0.0.2", "1", "2", "6", "3", "300", "1418530070", "1418530010", "ACCEPT" },
		{ "10.0.0.1", "not-an-ip", "1", "2", "6", "3", "300", "1418530010", "1418530070", "ACCEPT" },
		{ "::FFFF:10.0.0.1", "10.0.0.2", "1", "2", "17", "3", "3.5", "1418530010", "1418530070", NULL },
		{ "010.0.0.1", "10.0.0.2", "1", "2", "6", "3", "300", "1418530010", "1418530070", NULL },
		{ "2001:DB8:0:0:0:0:0:1", "10.0.0.2", "1", "2", "6", "3", "300", "1418530010", "1418530070", NULL },
		{ "::ffff:10.0.0.1", "10.0.0.2", "1", "2", "6", "3", "300", "1418530010", "1418530070", NULL },
	};

	CHECK(p != NULL);
	if (p == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		goto out;
	}
	CHECK_EQ_INT(p->out->nfields, 11);	/* "action" is no label */
	CHECK(p->outs[9].kind == FP_CANON_OUT_DERIVED);	/* flow_dur from end - start */
	CHECK(p->outs[6].kind == FP_CANON_OUT_DEFAULT);	/* bwd_bytes: 0 */
	for (size_t r = 0; r < 8; r++)
		put_row(b, rows[r]);
	out = fp_batch_new(p->out, 8);
	fp_canon_report_init(&rep);
	CHECK_EQ_INT(fp_canon_run(p, b, 100, out, &rep, &err), 3);
	CHECK_EQ_INT(rep.rows_rejected, 5);
	CHECK_EQ_INT(out->cols[0].v.i64[0], 1418530010000000LL);
	CHECK(out->cols[9].v.f64[0] == 60.0);
	CHECK_EQ_INT(out->cols[10].v.i32[0], 6);
	CHECK_EQ_INT(out->cols[6].v.i64[0], 0);
	/* inet_pton refuses leading zeros ("010.0.0.1" is octal to some tools) */
	CHECK_EQ_INT(rep.nissues, 5);
	if (rep.nissues == 5) {
		CHECK_EQ_STR(rep.issues[0].field, "dest_port");
		CHECK_EQ_STR(rep.issues[0].why, "is out of range");
		CHECK_EQ_INT(rep.issues[0].rows[0], 102);	/* row numbers count from the batch's first row */
		CHECK_EQ_STR(rep.issues[1].field, "flow_dur");
		CHECK_EQ_STR(rep.issues[1].why, "is before the flow's start");
		CHECK_EQ_STR(rep.issues[2].example, "not-an-ip");
		CHECK_EQ_STR(rep.issues[3].field, "fwd_bytes");	/* 3.5 bytes */
		CHECK_EQ_STR(rep.issues[3].why, "is not a whole number");
		CHECK_EQ_STR(rep.issues[4].field, "src_ip");
		CHECK_EQ_STR(rep.issues[4].example, "010.0.0.1");
	}
	if (out->nrows == 3) {	/* IPv6 text in RFC 5952 form */
		size_t len;
		const char *t = fp_column_bytes(&out->cols[0 + 1], 1, &len);
		CHECK(len == 11 && memcmp(t, "2001:db8::1", 11) == 0);
		t = fp_column_bytes(&out->cols[1], 2, &len);
		CHECK(len == 15 && memcmp(t, "::ffff:10.0.0.1", 15) == 0);
	}
	fp_canon_report_free(&rep);
	fp_batch_free(out);
out:
	fp_batch_free(b);
	fp_canon_plan_free(p);
	fp_schema_free(in);
	fp_canon_spec_free(spec);
}

/* Aliases in the schema's order: IPV4_SRC_ADDR first, IPV6_SRC_ADDR fills
 * its nulls; an unmatched required field lists the unmatched columns. */
static void test_plan_coalesces_and_explains_errors(void)
{
	static const char *const names[] = { "IPV6_SRC_ADDR", "IPV4_SRC_ADDR", "IPV4_DST_ADDR", "L4_SRC_PORT",
					     "L4_DST_PORT", "PROTOCOL", "IN_BYTES", "OUT_BYTES", "IN_PKTS",
					     "OUT_PKTS", "FLOW_START_MILLISECONDS", "FLOW_DURATION_MILLISECONDS",
					     "Whatever", NULL };
	struct fp_error err = { { 0 } };
	struct fp_canon_spec *spec = fp_canon_spec_default(&err);
	struct fp_schema *in = text_schema(names), *in2 = text_schema(names + 1);
	struct fp_canon_options o = { .time = utc };
	struct fp_canon_plan *p = fp_canon_plan_new(spec, in, &o, "nf", &err), *q;

	CHECK(p != NULL);
	if (p != NULL) {
		CHECK_EQ_INT(p->outs[1].src.n, 2);
		CHECK_EQ_STR(p->in->fields[p->outs[1].src.v[0].col].name, "IPV4_SRC_ADDR");
		CHECK_EQ_INT(p->outs[9].src.v[0].unit, FP_CANON_UNIT_MS);
		CHECK_EQ_INT(p->outs[0].src.v[0].unit, FP_CANON_UNIT_MS);
	}
	q = fp_canon_plan_new(spec, in2, &o, "nf2", &err);	/* without IPV6_SRC_ADDR: fine */
	CHECK(q != NULL);
	fp_canon_plan_free(q);
	fp_schema_free(in2);
	in2 = text_schema(names + 2);	/* no source address at all */
	q = fp_canon_plan_new(spec, in2, &o, "nf3", &err);
	CHECK(q == NULL);
	CHECK(strstr(err.msg, "nf3: no column for canonical field src_ip") != NULL);
	CHECK(strstr(err.msg, "'Whatever'") != NULL);
	o.allow_missing = "src_ip";
	q = fp_canon_plan_new(spec, in2, &o, "nf3", &err);
	CHECK(q != NULL && q->out->fields[1].nullable);
	fp_canon_plan_free(q);
	o.allow_missing = "src_ip,nonsense";
	q = fp_canon_plan_new(spec, in2, &o, "nf3", &err);
	CHECK(q == NULL && strstr(err.msg, "'nonsense' is not a canonical field") != NULL);
	fp_schema_free(in2);
	fp_canon_plan_free(p);
	fp_schema_free(in);
	fp_canon_spec_free(spec);
}

int main(void)
{
	RUN(test_keys_and_units);
	RUN(test_timestamps);
	RUN(test_protocols);
	RUN(test_default_spec);
	RUN(test_spec_refuses_shared_alias);
	RUN(test_run_rejects_and_derives);
	RUN(test_plan_coalesces_and_explains_errors);
	return TEST_RESULT();
}
